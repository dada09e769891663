import { clockNowDate } from "../core/clock/now.ts";
import { NotFoundError } from "../core/http/errors.ts";
import { InputError } from "../core/input-error.ts";
import type { Logger } from "../core/logging/index.ts";
import { actingAs, type Store } from "../core/store/index.ts";
import type { ActionAnswer } from "./answers/panels.ts";
import type { Principal } from "./auth.ts";
import { AnswerError } from "./error-answers.ts";
import type { SseHub } from "./sse-hub.ts";
/**
 * How a board action is carried out, whatever it does: once per intent key, acting as
 * `board:<user>`, answered with the audit records it wrote. The intent the page mints once per
 * confirmation makes it idempotent: the same intent sent twice (a double click, a retry after a
 * lost answer) gets the first answer back (`replayed: true`) and nothing is done twice, whether
 * the first is finished (the ledger in the store) or still running (in memory). A failure is
 * thrown as the `AnswerError` the service's one error handler sends, with the audit record the
 * action wrote before failing.
 */

/** The intents already answered: `service.actions`, key `<action>:<target>:<intent>`. */
export const ACTIONS_NAMESPACE = "service.actions";

export interface Performed {
  outcome: Record<string, unknown>;
  /** Shown to the operator: what happened, in words. */
  summary: string;
}

/** One action's work: the store acting as the operator, the actor's name, the idempotency key. */
export type ActionWork = (acting: Store, actor: string, key: string) => Promise<Performed>;

export interface ActionRunnerDeps {
  store: Store;
  hub: SseHub;
  logger: Logger;
}

export interface ActionCall {
  principal: Principal;
  /** `campaign.pause`, `incident.fail-back`… */
  action: string;
  target: string;
  intent: string;
}

export type ActionRunner = (call: ActionCall, work: ActionWork) => Promise<ActionAnswer>;

/** A runner with its own in-flight table (one per registration of the action routes). */
export function actionRunner(deps: ActionRunnerDeps): ActionRunner {
  const { store } = deps;
  const inFlight = new Map<string, Promise<ActionAnswer>>();
  return async (call, work) => {
    const ledgerKey = `${call.action}:${call.target}:${call.intent}`;
    try {
      const earlier = await store.kv.get<ActionAnswer>(ACTIONS_NAMESPACE, ledgerKey);
      if (earlier) return { ...earlier, replayed: true };
      const running = inFlight.get(ledgerKey);
      if (running) return { ...(await running), replayed: true };
      const first = carryOut(deps, call, ledgerKey, work);
      inFlight.set(ledgerKey, first);
      try {
        return await first;
      } finally {
        inFlight.delete(ledgerKey);
      }
    } catch (error) {
      return failure(deps.logger, error, call);
    }
  };
}

/** Does the work once, records the answer in the ledger and tells the live boards. */
async function carryOut(
  deps: ActionRunnerDeps,
  call: ActionCall,
  ledgerKey: string,
  work: ActionWork,
): Promise<ActionAnswer> {
  const { store } = deps;
  const { action, target } = call;
  const actor = `board:${call.principal.user}`;
  const before = (await store.audit.head()).seq;
  const records = async () =>
    (await store.audit.tail(50)).filter((r) => r.seq > before && r.actor === actor).map((r) => r.seq);
  try {
    const done = await work(actingAs(store, actor), actor, `cxo-board-${action}-${call.intent}`);
    const seqs = await records();
    const answer: ActionAnswer = {
      ok: true,
      action,
      target,
      actor,
      ...done,
      auditSeq: seqs.at(-1) ?? null,
      auditRecords: seqs,
      at: clockNowDate().toISOString(),
    };
    await store.kv.set(ACTIONS_NAMESPACE, ledgerKey, answer);
    deps.hub.send("action", { action, target, actor, auditSeq: answer.auditSeq });
    deps.logger.info({ action, target, actor, auditSeq: answer.auditSeq }, "board action done");
    return answer;
  } catch (error) {
    const seqs = await records().catch(() => [] as number[]);
    throw Object.assign(error as Error, { auditSeq: seqs.at(-1) ?? null });
  }
}

/** An action's failure as the answer the error handler sends (error-answers.ts scrubs it). */
function failure(logger: Logger, error: unknown, call: ActionCall): never {
  const extra = { ok: false, auditSeq: (error as { auditSeq?: number | null }).auditSeq ?? null };
  if (error instanceof AnswerError)
    throw new AnswerError(error.status, error.code, error.message, { ...error.extra, ...extra });
  if (error instanceof InputError)
    throw new AnswerError(400, "invalid_request", error.message, { ...extra, problems: error.problems });
  if (error instanceof NotFoundError) throw new AnswerError(404, "not_found", error.message, extra);
  logger.warn({ action: call.action, target: call.target, err: error }, "board action failed");
  throw new AnswerError(502, "action_failed", (error as Error).message, extra);
}
