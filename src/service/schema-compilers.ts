import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";

/**
 * The one place the service's routes get their schema compilers (fastify-plugin: set on the app,
 * inherited by every route group registered after it): requests are checked with the routes'
 * zod schemas (a refusal is the error handler's 400 naming the field and the rule), answers are
 * serialised with their response schemas (src/service/answers/). A route group registered on
 * its own (a test) registers this plugin first.
 */
export const schemaCompilers = fp(
  async (app: FastifyInstance) => {
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
  },
  { name: "cxo-schema-compilers", fastify: "5.x" },
);
