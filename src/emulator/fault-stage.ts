import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyReply, FastifyRequest } from "fastify";
import { type FaultAction, type FaultBoard, retryAfterHeader } from "./faults.ts";
import { type LoggedMeta, logRequest } from "./kernel.ts";
import type { RequestLog } from "./request-log.ts";

/** An injected fault that is answered: a 429 burst or a 5xx. */
export type AnsweredFault = Extract<FaultAction, { kind: "throttle" | "status" }>;

/**
 * The first stage of every API request of an emulator (the seed API's, the production API's,
 * the RND's), before authentication: the fixed latency and the fault the board injects for the
 * request's group and route. A reset connection is logged (status 0) and dropped; a 429 or a
 * 5xx gets its Retry-After header and is answered in the emulator's own error shape by `answer`;
 * a truncated answer is only flagged (`onTruncate`), for the emulator's onSend hook to cut.
 * Resolves with the reply when the request was answered here, else undefined (go on).
 */
export async function injectedFault(
  env: { faults: FaultBoard; latencyMs: number; log: RequestLog },
  request: FastifyRequest,
  reply: FastifyReply,
  meta: LoggedMeta | undefined,
  group: string,
  answer: (action: AnsweredFault, reply: FastifyReply) => FastifyReply,
  onTruncate?: () => void,
): Promise<FastifyReply | undefined> {
  const decision = env.faults.decide(group, `${request.method} ${request.routeOptions.url ?? ""}`);
  const delay = env.latencyMs + decision.delayMs;
  if (delay > 0) await sleep(delay);
  const action = decision.action;
  if (action?.kind === "reset") {
    logRequest(env.log, request, meta, { status: 0 });
    reply.hijack();
    request.raw.socket.resetAndDestroy();
    return reply;
  }
  if (action?.kind === "truncate") onTruncate?.();
  if (action?.kind === "throttle" || action?.kind === "status") {
    const header = retryAfterHeader(action.retryAfter, action.format);
    if (header !== null) reply.header("retry-after", header);
    return answer(action, reply);
  }
  return undefined;
}
