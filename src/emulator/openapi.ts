import type { EmulatorContext } from "./context.ts";
import { GROUP_LIMITS } from "./groups.ts";

/**
 * An OpenAPI 3.1 description of the emulated API, built from the registered routes (their
 * zod schemas rendered as JSON Schema), so it cannot drift from what the server accepts.
 */
export function buildOpenApi(ctx: EmulatorContext): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ctx.routes) {
    const path = route.url.replace(/:([A-Za-z]+)/g, "{$1}");
    const params: Record<string, unknown>[] = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const query = route.query as { properties?: Record<string, unknown>; required?: string[] } | undefined;
    for (const [name, schema] of Object.entries(query?.properties ?? {})) {
      params.push({ name, in: "query", required: (query?.required ?? []).includes(name), schema });
    }
    const limit = GROUP_LIMITS[route.group];
    const operation: Record<string, unknown> = {
      summary: route.summary,
      tags: [route.group],
      "x-rate-limit": `${limit.limit * ctx.options.rateLimitScale} per ${limit.windowMs / 1000}s per client`,
      parameters: params,
      responses: Object.fromEntries(
        Object.entries(route.responses).map(([status, description]) => [status, { description }]),
      ),
    };
    if (route.scopes) {
      operation.security = [{ oauth2: [...route.scopes] }];
      operation.description = `Any one of the scopes: ${route.scopes.join(", ")}`;
    }
    if (route.body) {
      operation.requestBody = { required: true, content: { "application/json": { schema: route.body } } };
    }
    paths[path] = { ...(paths[path] ?? {}), [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "CXone emulator (seed API)",
      version: "1.0.0",
      description: "The CXone endpoints the five seed tutorials call, as the emulator serves them.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        oauth2: { type: "oauth2", flows: { clientCredentials: { tokenUrl: "/oauth/token", scopes: {} } } },
      },
    },
    paths,
  };
}
