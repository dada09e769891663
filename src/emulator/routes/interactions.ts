import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { clockNowDate } from "../../core/clock/now.ts";
import type { EmulatorContext } from "../context.ts";
import type { Interaction, InteractionDisposition } from "../data/model.ts";
import { INTERACTION_DISPOSITIONS } from "../data/vocabulary.ts";
import { etagFor } from "../data/world.ts";
import { ApiError, badRequest, notFound, parseOr400 } from "../errors.ts";
import { apiRoute } from "../http.ts";
import { SCOPES } from "../scopes.ts";

/**
 * Seed 001: closed interactions with optimistic locking. GET answers an `ETag`; PATCH needs
 * `If-Match` with that ETag verbatim (missing → 428, stale → 409) and REPLACES the
 * `dispositions` array (a client adding a code sends the merged array). Codes must exist in
 * GET /api/v1/dispositions, and primary (1xx) and secondary (2xx) codes never mix.
 */
const OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

const entry = z
  .strictObject({
    code: z.string().min(1),
    description: z.string().min(1).max(500),
    /** The seed sends snake_case `agent_id`; `agentId` is accepted too. */
    agent_id: z.string().min(1).optional(),
    agentId: z.string().min(1).optional(),
    timestamp: z
      .string()
      .refine(
        (value) => OFFSET.test(value) && !Number.isNaN(Date.parse(value)),
        "ISO 8601 with a time zone offset",
      ),
    source: z.string().min(1).max(50).optional(),
  })
  .refine((value) => value.agent_id !== undefined || value.agentId !== undefined, {
    message: "agent_id is required",
    path: ["agent_id"],
  });

const patchBody = z.strictObject({ dispositions: z.array(entry).max(20) });

const KNOWN = new Set(INTERACTION_DISPOSITIONS.map((d) => d.code));

/** An interaction as answered: its ETag in the header, the body without the version and the ETag. */
function present(reply: FastifyReply, interaction: Interaction) {
  reply.header("etag", interaction.etag);
  const { version: _version, etag: _etag, ...shown } = interaction;
  return shown;
}

export function registerInteractionRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const { state } = ctx;
  const find = (id: string): Interaction => {
    const interaction = state.interactions.get(id);
    if (!interaction) throw notFound("interaction", id);
    return interaction;
  };

  apiRoute(
    app,
    ctx,
    {
      method: "GET",
      url: "/api/v1/interactions/:interactionId",
      group: "interactions",
      scopes: SCOPES.interactionRead,
      summary: "A closed interaction with its dispositions; the ETag header carries its version",
      responses: { "200": "the interaction (ETag header)", "404": "unknown interaction" },
    },
    (request, reply) => {
      const interaction = find((request.params as { interactionId: string }).interactionId);
      return present(reply, interaction);
    },
  );

  apiRoute(
    app,
    ctx,
    {
      method: "PATCH",
      url: "/api/v1/interactions/:interactionId",
      group: "interactions",
      scopes: SCOPES.interactionWrite,
      summary: "Replace the interaction's dispositions (If-Match required)",
      body: patchBody,
      responses: {
        "200": "the interaction with its new ETag",
        "400": "malformed body, unknown code, 1xx/2xx mix",
        "404": "unknown interaction",
        "409": "If-Match does not match the current ETag",
        "428": "If-Match missing",
      },
    },
    (request, reply) => {
      const interaction = find((request.params as { interactionId: string }).interactionId);
      const body = parseOr400(patchBody, request.body, "body");
      const codes = body.dispositions.map((d) => d.code);
      const unknown = codes.filter((code) => !KNOWN.has(code));
      if (unknown.length > 0) {
        throw badRequest(`unknown disposition codes: ${unknown.join(", ")} (see GET /api/v1/dispositions)`);
      }
      if (codes.some((c) => c.startsWith("1")) && codes.some((c) => c.startsWith("2"))) {
        throw badRequest("primary (1xx) and secondary (2xx) disposition codes cannot be applied together");
      }
      const ifMatch = request.headers["if-match"];
      if (ifMatch === undefined || ifMatch === "") {
        throw new ApiError(428, "precondition_required", "If-Match with the interaction's ETag is required");
      }
      if (ifMatch !== interaction.etag) {
        throw new ApiError(409, "etag_mismatch", "the interaction changed since that ETag was read", {
          currentEtag: interaction.etag,
        });
      }
      const dispositions: InteractionDisposition[] = body.dispositions.map((d) => ({
        code: d.code,
        description: d.description,
        agent_id: (d.agent_id ?? d.agentId) as string,
        timestamp: d.timestamp,
        source: d.source ?? "api",
      }));
      interaction.dispositions = dispositions;
      interaction.version += 1;
      interaction.etag = etagFor(interaction.id, interaction.version, ctx.options.seed);
      interaction.lastModifiedTime = clockNowDate().toISOString();
      return present(reply, interaction);
    },
  );

  apiRoute(
    app,
    ctx,
    {
      method: "GET",
      url: "/api/v1/dispositions",
      group: "interactions",
      scopes: SCOPES.dispositionsRead,
      summary: "The interaction disposition codes: 1xx primary, 2xx secondary",
      responses: { "200": "{dispositions:[{code, description, type}]}" },
    },
    () => ({
      dispositions: INTERACTION_DISPOSITIONS.map((d) => ({
        ...d,
        type: d.code.startsWith("1") ? "primary" : "secondary",
      })),
    }),
  );
}
