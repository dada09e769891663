import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { EmulatorContext } from "./context.ts";
import { ApiError } from "./errors.ts";
import type { Caller } from "./http.ts";

/**
 * `X-Idempotency-Key` (seed 002): the first answer for a key is stored (per client) and replayed
 * for every later request with the same key, marked `Idempotent-Replayed: true`. The same key
 * with another method, path or body is a client bug: 422.
 */
export interface Outcome {
  status: number;
  body: unknown;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function withIdempotency(
  ctx: EmulatorContext,
  request: FastifyRequest,
  reply: FastifyReply,
  caller: Caller,
  run: () => Outcome,
): unknown {
  const header = request.headers["x-idempotency-key"];
  const key = Array.isArray(header) ? header[0] : header;
  const answer = (outcome: Outcome) => reply.code(outcome.status).send(outcome.body);
  if (!key) return answer(runCatching(run));
  if (key.length > 255)
    throw new ApiError(400, "invalid_request", "X-Idempotency-Key is longer than 255 characters");
  const path = request.url.split("?")[0];
  const fingerprint = createHash("sha256")
    .update(`${request.method} ${path}\n${stableJson(request.body ?? null)}`)
    .digest("hex");
  const storeKey = `${caller.clientId}\u0000${key}`;
  const stored = ctx.state.idempotency.get(storeKey);
  if (stored) {
    if (stored.fingerprint !== fingerprint) {
      throw new ApiError(
        422,
        "idempotency_key_reused",
        "this X-Idempotency-Key was used with another request",
      );
    }
    reply.header("idempotent-replayed", "true");
    return answer(stored);
  }
  const outcome = runCatching(run);
  ctx.state.idempotency.set(storeKey, { fingerprint, ...outcome });
  return answer(outcome);
}

/** Client errors are part of the stored answer (a retry must see the same 409). */
function runCatching(run: () => Outcome): Outcome {
  try {
    return run();
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) return { status: error.status, body: error.body };
    throw error;
  }
}
