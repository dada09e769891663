import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { listKnownCampaigns } from "../campaigns/known-campaigns.ts";
import { changeCampaignStatus } from "../campaigns/transition.ts";
import { acknowledgeIncident, readAcknowledgements } from "../campaigns/watchdog/acknowledge.ts";
import type { Incident } from "../campaigns/watchdog/state.ts";
import type { InternalClient } from "../client.ts";
import { NotFoundError } from "../core/http/errors.ts";
import { InputError } from "../core/input-error.ts";
import type { Logger } from "../core/logging/index.ts";
import { actingAs, localOperation, type Store } from "../core/store/index.ts";
import { readHistory } from "../dialer/settings/history.ts";
import { rollbackSettings } from "../dialer/settings/rollback.ts";
import type { Principal } from "./auth.ts";
import type { CampaignBoard } from "./campaign-board.ts";
import { AnswerError } from "./error-answers.ts";
import { requestFailBack } from "./fail-back-requests.ts";
import type { Leadership } from "./leadership.ts";
import { mayAct } from "./operators.ts";
import { setAutomation } from "./pacing-automation.ts";
import { shareState } from "./shared-states.ts";
import type { SseHub } from "./sse-hub.ts";
import type { WatchdogSet } from "./watchdogs.ts";

/**
 * What an operator can do from the board, each through the capability workflow the CLI runs
 * (journaled, audited as `board:<user>`), each idempotent by the intent key the page mints once
 * per confirmation: the same intent sent twice (a double click, a retry after a lost answer) gets
 * the first answer back and nothing is done twice. A viewer — and anyone on a board nobody signs
 * in to — is refused (403) before anything is read or sent. Every answer names the audit records
 * the action wrote (`auditSeq`: the last of them).
 */
export interface ActionDeps {
  store: Store;
  client: InternalClient | undefined;
  board: CampaignBoard;
  watchdogs: WatchdogSet;
  leadership: Leadership;
  hub: SseHub;
  logger: Logger;
}

/** The intents already answered: `service.actions`, key `<action>:<target>:<intent>`. */
export const ACTIONS_NAMESPACE = "service.actions";

const intentSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "8-64 letters, digits, '_' or '-'");
const idSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, "letters, digits, . _ : - (1-128)");
const intentBody = z.object({ intent: intentSchema });
const rollbackBody = z.object({
  intent: intentSchema,
  to: z.string().min(1).max(200),
  campaignId: idSchema.optional(),
});

/** A refusal the action itself decides (409 not paced, 404 no such incident…). */
const ActionRefused = AnswerError;

interface Performed {
  outcome: Record<string, unknown>;
  /** Shown to the operator: what happened, in words. */
  summary: string;
}

type Run = (acting: Store, actor: string, key: string) => Promise<Performed>;

export function actionRoutes(app: FastifyInstance, deps: ActionDeps): void {
  const { store } = deps;
  const inFlight = new Map<string, Promise<Record<string, unknown>>>();

  function client(): InternalClient {
    if (!deps.client)
      throw new ActionRefused(503, "cxone_not_configured", "this service has no CXone credentials");
    return deps.client;
  }

  async function perform(request: FastifyRequest, action: string, target: string, intent: string, run: Run) {
    const ledgerKey = `${action}:${target}:${intent}`;
    const earlier = await store.kv.get<Record<string, unknown>>(ACTIONS_NAMESPACE, ledgerKey);
    if (earlier) return { ...earlier, replayed: true };
    const running = inFlight.get(ledgerKey);
    if (running) return { ...(await running), replayed: true };
    const principal = request.principal as Principal;
    const actor = `board:${principal.user}`;
    const work = (async () => {
      const before = (await store.audit.head()).seq;
      const records = async () =>
        (await store.audit.tail(50)).filter((r) => r.seq > before && r.actor === actor).map((r) => r.seq);
      try {
        const done = await run(actingAs(store, actor), actor, `cxo-board-${action}-${intent}`);
        const seqs = await records();
        const answer = {
          ok: true,
          action,
          target,
          actor,
          ...done,
          auditSeq: seqs.at(-1) ?? null,
          auditRecords: seqs,
          at: new Date().toISOString(),
        };
        await store.kv.set(ACTIONS_NAMESPACE, ledgerKey, answer);
        deps.hub.send("action", { action, target, actor, auditSeq: answer.auditSeq });
        deps.logger.info({ action, target, actor, auditSeq: answer.auditSeq }, "board action done");
        return answer;
      } catch (error) {
        const seqs = await records().catch(() => [] as number[]);
        throw Object.assign(error as Error, { auditSeq: seqs.at(-1) ?? null });
      }
    })();
    inFlight.set(ledgerKey, work);
    try {
      return await work;
    } catch (error) {
      return failure(error, action, target);
    } finally {
      inFlight.delete(ledgerKey);
    }
  }

  /** An action's failure as the answer the error handler sends (error-answers.ts scrubs it). */
  function failure(error: unknown, action: string, target: string): never {
    const extra = { ok: false, auditSeq: (error as { auditSeq?: number | null }).auditSeq ?? null };
    if (error instanceof AnswerError)
      throw new AnswerError(error.status, error.code, error.message, { ...error.extra, ...extra });
    if (error instanceof InputError)
      throw new AnswerError(400, "invalid_request", error.message, { ...extra, problems: error.problems });
    if (error instanceof NotFoundError) throw new AnswerError(404, "not_found", error.message, extra);
    deps.logger.warn({ action, target, err: error }, "board action failed");
    throw new AnswerError(502, "action_failed", (error as Error).message, extra);
  }

  /** Role, parameters and body checked before anything is read or sent. */
  function route<P extends z.ZodType, B extends z.ZodType>(
    path: string,
    schemas: { params?: P; body: B },
    handle: (
      params: z.infer<P>,
      body: z.infer<B>,
      request: FastifyRequest,
      reply: FastifyReply,
    ) => Promise<unknown>,
  ) {
    app.post(path, async (request, reply) => {
      const principal = request.principal;
      if (!mayAct(principal?.role))
        return reply.code(403).send({
          ok: false,
          error: "forbidden",
          message:
            principal?.via === "open"
              ? "sign in as an operator to act (nobody signs in to this board yet: add service.users or `cxo users add`), or use the access token"
              : "a viewer cannot act: sign in as an operator",
        });
      const params = (schemas.params ?? z.object({})).safeParse(request.params);
      const body = schemas.body.safeParse(request.body ?? {});
      for (const parsed of [params, body])
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return reply.code(400).send({
            ok: false,
            error: "invalid_request",
            field: issue?.path.join(".") ?? "",
            rule: issue?.message,
          });
        }
      try {
        return await handle(params.data as z.infer<P>, body.data as z.infer<B>, request, reply);
      } catch (error) {
        return failure(error, path, "");
      }
    });
  }

  const campaignParams = z.object({ id: idSchema });

  for (const [verb, target] of [
    ["pause", "paused"],
    ["resume", "active"],
  ] as const)
    route(`/api/campaigns/:id/${verb}`, { params: campaignParams, body: intentBody }, (p, b, request) =>
      perform(request, `campaign.${verb}`, p.id, b.intent, async (acting) => {
        const result = await changeCampaignStatus(client().port.campaigns, acting, p.id, target, {
          intent: b.intent,
        });
        deps.board.recordState(p.id, { status: result.status });
        await shareState(store, p.id, result.status);
        return {
          outcome: { changed: result.changed, previous: result.previous, status: result.status },
          summary: result.changed
            ? `${verb === "pause" ? "paused" : "resumed"} (was ${result.previous ?? "unknown"})`
            : `already ${target}: nothing changed`,
        };
      }),
    );

  for (const [verb, state] of [
    ["stop", "stopped"],
    ["resume", "automatic"],
  ] as const)
    route(
      `/api/campaigns/:id/pacing/${verb}`,
      { params: campaignParams, body: intentBody },
      (p, b, request) =>
        perform(request, `pacing.${verb}`, p.id, b.intent, async (acting, actor, key) => {
          const known = (await listKnownCampaigns(store)).find((c) => c.id === p.id);
          if (known?.pacing?.mode !== "auto")
            throw new ActionRefused(409, "not_paced", `campaign ${p.id} is not under pacing automation`);
          const setting = { state, by: actor, at: new Date().toISOString() } as const;
          await setAutomation(acting, p.id, setting, key);
          deps.board.recordPacingAutomation(p.id, setting);
          return {
            outcome: { automation: state },
            summary:
              state === "stopped"
                ? "pacing automation stopped: the ratio in force stays until it is resumed"
                : "pacing automation resumed",
          };
        }),
    );

  async function incident(id: string): Promise<Incident> {
    const found = ((await deps.watchdogs.incidents()) as Incident[]).find((i) => i.id === id);
    if (!found) throw new ActionRefused(404, "not_found", `incident ${id} does not exist`);
    return found;
  }

  route("/api/incidents/:id/acknowledge", { params: campaignParams, body: intentBody }, (p, b, request) =>
    perform(request, "incident.acknowledge", p.id, b.intent, async (acting, actor, key) => {
      const found = await incident(p.id);
      if (found.phase === "closed")
        throw new ActionRefused(409, "closed", `incident ${p.id} is closed already`);
      const earlier = (await readAcknowledgements(store)).get(found.id);
      if (earlier)
        return { outcome: { acknowledged: earlier }, summary: `already acknowledged by ${earlier.by}` };
      const ack = { by: actor, at: new Date().toISOString() };
      await acknowledgeIncident(acting, found, ack, key);
      return { outcome: { acknowledged: ack }, summary: "acknowledged" };
    }),
  );

  route("/api/incidents/:id/fail-back", { params: campaignParams, body: intentBody }, (p, b, request) =>
    perform(request, "incident.fail-back", p.id, b.intent, async (acting, actor, key) => {
      const found = await incident(p.id);
      if (found.phase !== "failed-over")
        throw new ActionRefused(
          409,
          "not_failed_over",
          `incident ${p.id} is ${found.phase}, not failed over`,
        );
      const handle = deps.watchdogs.watchdogs.find(
        (w) => w.config.primary === found.primary && w.config.backup === found.backup,
      )?.handle;
      if (!handle) {
        // Another instance runs the watchdogs: it carries the request out within seconds.
        await requestFailBack(acting, found, actor, key);
        return {
          outcome: { requested: true, leader: deps.leadership.state().leaderId ?? null },
          summary: "fail back requested: the instance leading the watchdogs carries it out within seconds",
        };
      }
      const closed = await handle.failBack({ actor });
      if (!closed)
        throw new ActionRefused(409, "not_failed_over", `incident ${p.id} is no longer failed over`);
      deps.board.recordState(found.backup, { status: "paused" });
      deps.board.recordState(found.primary, { status: "active" });
      await shareState(store, found.backup, "paused");
      await shareState(store, found.primary, "active");
      return {
        outcome: { phase: closed.phase, closedBy: closed.closedBy },
        summary: "failed back: backup paused, primary resumed",
      };
    }),
  );

  route("/api/dialer/rollback", { body: rollbackBody }, (_p, b, request) =>
    perform(request, "dialer.rollback", b.campaignId ?? "tenant", b.intent, async (acting) => {
      const c = client();
      const result = await rollbackSettings(
        {
          port: c.port.dialer,
          scope: b.campaignId === undefined ? {} : { campaignId: b.campaignId },
          store: acting,
          wait: { minDelayMs: 250, maxDelayMs: 2_000, maxWaitMs: 120_000 },
          rollbackWaitMs: 300_000,
        },
        store.kv,
        { campaignId: b.campaignId, to: b.to },
      );
      if (result.outcome === "failed" || result.outcome === "refused")
        throw new ActionRefused(
          409,
          `rollback_${result.outcome}`,
          `rollback ${result.outcome}: ${result.reason}`,
        );
      return {
        outcome: result as unknown as Record<string, unknown>,
        summary:
          result.outcome === "unchanged"
            ? `the settings of ${b.to} are in force already`
            : `settings of version ${b.to} restored`,
      };
    }),
  );

  route(
    "/api/outbox/events/:id/replay",
    {
      params: z.object({ id: z.string().regex(/^evt_[A-Za-z0-9_-]{1,80}$/, "an outbox event id (evt_…)") }),
      body: intentBody,
    },
    (p, b, request) =>
      perform(request, "outbox.replay", p.id, b.intent, async (acting, _actor, key) => {
        const event = await store.outbox.get(p.id);
        if (!event) throw new ActionRefused(404, "not_found", `outbox event ${p.id} does not exist`);
        if (event.status !== "dead")
          throw new ActionRefused(409, "not_dead", `outbox event ${p.id} is ${event.status}, not dead`);
        const requeued = await acting.journal.run(
          localOperation<{ id: string; destination: string; type: string }, number>(
            "outbox.replay",
            (payload, count) => ({ after: { requeued: count }, details: payload }),
            (payload) => store.outbox.replay({ id: payload.id }),
          ),
          {
            target: p.id,
            payload: { id: p.id, destination: event.destination, type: event.type },
            idempotencyKey: key,
          },
        );
        return { outcome: { requeued }, summary: `requeued for ${event.destination}` };
      }),
  );

  // What the action buttons need to list (read-only, any signed-in role).
  app.get("/api/outbox/dead", async () => ({
    events: (await store.outbox.list({ status: "dead", limit: 50 })).map((e) => ({
      id: e.id,
      type: e.type,
      destination: e.destination,
      attempts: e.attempts,
      lastStatus: e.lastStatus,
      lastError: e.lastError,
      createdAt: e.createdAt,
      finishedAt: e.finishedAt,
    })),
  }));

  app.get("/api/dialer/history", async () => ({
    versions: (await readHistory(store.kv)).map((row) => ({
      versionTag: row.versionTag,
      at: row.at,
      source: row.source,
      outcome: row.outcome,
      dialRatio: row.settings.algorithm?.dialRatio ?? null,
      algorithm: row.settings.algorithm?.type ?? null,
    })),
  }));
}
