import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import {
  isResponseSerializationError,
  serializerCompiler,
  validatorCompiler,
} from "fastify-type-provider-zod";
import { type Logger, silentLogger } from "../core/logging/index.ts";

/**
 * The one place the service's routes get their schema compilers (fastify-plugin: set on the app,
 * inherited by every route group registered after it): requests are checked with the routes'
 * zod schemas (a refusal is the error handler's 400 naming the field and the rule), answers are
 * serialised with their response schemas (src/service/answers/: a field a schema does not name
 * is not sent). A route group registered on its own (a test) registers this plugin first.
 *
 * An answer its schema refuses — a record an older version stored without a field added since,
 * say — is a bug to see, not a reason to blank the board: it is logged (warn, with the route and
 * zod's first issue) and sent as the route built it, as before response schemas.
 */
export const schemaCompilers = fp(
  async (app: FastifyInstance, options: { logger?: Logger }) => {
    const logger = options.logger ?? silentLogger;
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler((route) => {
      const serialize = serializerCompiler(route as Parameters<typeof serializerCompiler>[0]);
      return (data) => {
        try {
          return serialize(data);
        } catch (error) {
          if (!isResponseSerializationError(error)) throw error;
          const cause = (error as { cause?: { issues?: Array<{ path: PropertyKey[]; message: string }> } })
            .cause;
          const issue = cause?.issues?.[0];
          logger.warn(
            { method: route.method, route: route.url, field: issue?.path.join("."), rule: issue?.message },
            "an answer does not match its response schema: sent as built",
          );
          return JSON.stringify(data);
        }
      };
    });
  },
  { name: "cxo-schema-compilers", fastify: "5.x" },
);
