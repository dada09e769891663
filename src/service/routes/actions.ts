import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { listKnownCampaigns } from "../../campaigns/known-campaigns.ts";
import { acknowledgeIncident, readAcknowledgements } from "../../campaigns/watchdog/acknowledge.ts";
import type { Incident } from "../../campaigns/watchdog/state.ts";
import type { InternalClient } from "../../client.ts";
import { clockNowDate } from "../../core/clock/now.ts";
import { ID_PATTERN, ID_RULE } from "../../core/ids.ts";
import type { Logger } from "../../core/logging/index.ts";
import { localOperation, type Store } from "../../core/store/index.ts";
import { readHistory } from "../../dialer/settings/history.ts";
import { type CampaignControlHost, campaignControlHostOf } from "../../sdk/campaign-control-host.ts";
import { type ActionRunner, type ActionWork, actionRunner } from "../action-runner.ts";
import { actionAnswer, deadEventsAnswer, dialerHistoryAnswer } from "../answers/panels.ts";
import { type Principal, SIGNED_IN } from "../auth.ts";
import type { CampaignBoard } from "../campaign-board.ts";
import { reachesCxone } from "../cxone-status.ts";
import { AnswerError } from "../error-answers.ts";
import { requestFailBack } from "../fail-back-requests.ts";
import type { Leadership } from "../leadership.ts";
import { setAutomation } from "../pacing-automation.ts";
import { shareState } from "../shared-states.ts";
import type { SseHub } from "../sse-hub.ts";
import type { WatchdogSet } from "../watchdogs.ts";
/**
 * What an operator can do from the board, each through the capability workflow the CLI runs
 * (journaled, audited as `board:<user>`), each idempotent by the intent key the page mints once
 * per confirmation (action-runner.ts). A viewer — and anyone on a board nobody signs in to — is
 * refused (403) by the auth plugin's role check before anything is read or sent; parameters and
 * bodies are zod schemas on the routes, refused (400, naming the field and the rule) by the one
 * error handler. Every answer names the audit records the action wrote (`auditSeq`: the last).
 *
 * A plugin without global state: everything comes from its options, so it can be registered
 * more than once (under a prefix per tenant).
 */
export interface ActionDeps {
  store: Store;
  client: InternalClient;
  board: CampaignBoard;
  watchdogs: WatchdogSet;
  leadership: Leadership;
  hub: SseHub;
  logger: Logger;
}

const intentSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "8-64 letters, digits, '_' or '-'");
const idSchema = z.string().regex(ID_PATTERN, ID_RULE);
/** A body: a missing one is checked as `{}` (the refusal names the field it lacks). */
const body = <S extends z.ZodRawShape>(shape: S) => z.preprocess((v) => v ?? {}, z.object(shape));
const intentBody = body({ intent: intentSchema });
const rollbackBody = body({
  intent: intentSchema,
  to: z.string().min(1).max(200),
  campaignId: idSchema.optional(),
});
const idParams = z.object({ id: idSchema });
const eventParams = z.object({
  id: z.string().regex(/^evt_[A-Za-z0-9_-]{1,80}$/, "an outbox event id (evt_…)"),
});

/** Every action route: operators only (auth plugin), answers with `ok` (error handler). */
const ACTION = { config: { role: "operator", okAnswers: true } } as const;
/** An action's answer (its refusals are the error handler's). */
const answered = { 200: actionAnswer };

const zodApp = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();
type ZodApp = ReturnType<typeof zodApp>;

interface Context {
  app: ZodApp;
  deps: ActionDeps;
  perform: ActionRunner;
}

export async function actionRoutes(plain: FastifyInstance, deps: ActionDeps): Promise<void> {
  const app = zodApp(plain);
  const context: Context = { app, deps, perform: actionRunner(deps) };
  campaignStatusRoutes(context);
  pacingRoutes(context);
  incidentRoutes(context);
  dialerRoutes(context);
  outboxRoutes(context);
}

/** The principal of an action route (the role check let only operators through). */
const operator = (request: { principal: Principal | null }) => request.principal as Principal;

/**
 * `POST path` on the resource its `:id` names, with the page's intent key: the operator's
 * `action` on that resource, carried out by `work` (the one shape of the board's id actions).
 */
function idAction(
  { app, perform }: Context,
  path: string,
  action: string,
  work: (id: string, intent: string) => ActionWork,
): void {
  app.post(
    path,
    { ...ACTION, schema: { params: idParams, body: intentBody, response: answered } },
    async (request) => {
      const { id } = request.params;
      const { intent } = request.body;
      return perform({ principal: operator(request), action, target: id, intent }, work(id, intent));
    },
  );
}

/**
 * What an action on CXone writes through (the SDK's, sdk/campaign-control-host.ts: each write one
 * of the client's calls, audited as the operator): a 503 when the client reaches no CXone (the
 * local client, whose CXone calls would refuse), before anything is journalled or sent.
 */
function control(deps: ActionDeps): CampaignControlHost {
  if (!reachesCxone(deps.client))
    throw new AnswerError(503, "cxone_not_configured", "this service has no CXone credentials");
  return campaignControlHostOf(deps.client);
}

/** `POST /api/campaigns/:id/pause|resume`: the campaign's state on CXone. */
function campaignStatusRoutes(context: Context): void {
  const { deps } = context;
  for (const [verb, target] of [
    ["pause", "paused"],
    ["resume", "active"],
  ] as const)
    idAction(
      context,
      `/api/campaigns/:id/${verb}`,
      `campaign.${verb}`,
      (id, intent) => async (_acting, actor) => {
        const result = await control(deps).setCampaignStatus(
          { store: deps.store, actor },
          { campaignId: id, status: target, intent },
        );
        deps.board.recordState(id, { status: result.status });
        await shareState(deps.store, id, result.status);
        return {
          outcome: { changed: result.changed, previous: result.previous, status: result.status },
          summary: result.changed
            ? `${verb === "pause" ? "paused" : "resumed"} (was ${result.previous ?? "unknown"})`
            : `already ${target}: nothing changed`,
        };
      },
    );
}

/** `POST /api/campaigns/:id/pacing/stop|resume`: the pacing automation of a paced campaign. */
function pacingRoutes(context: Context): void {
  const { deps } = context;
  for (const [verb, state] of [
    ["stop", "stopped"],
    ["resume", "automatic"],
  ] as const)
    idAction(
      context,
      `/api/campaigns/:id/pacing/${verb}`,
      `pacing.${verb}`,
      (id) => async (acting, actor, key) => {
        const known = (await listKnownCampaigns(deps.store)).find((c) => c.id === id);
        if (known?.pacing?.mode !== "auto")
          throw new AnswerError(409, "not_paced", `campaign ${id} is not under pacing automation`);
        const setting = { state, by: actor, at: clockNowDate().toISOString() } as const;
        await setAutomation(acting, id, setting, key);
        deps.board.recordPacingAutomation(id, setting);
        return {
          outcome: { automation: state },
          summary:
            state === "stopped"
              ? "pacing automation stopped: the ratio in force stays until it is resumed"
              : "pacing automation resumed",
        };
      },
    );
}

/** `POST /api/incidents/:id/acknowledge|fail-back`: a watchdog's incident. */
function incidentRoutes(context: Context): void {
  const { deps } = context;
  idAction(context, "/api/incidents/:id/acknowledge", "incident.acknowledge", (id) => acknowledge(deps, id));
  idAction(context, "/api/incidents/:id/fail-back", "incident.fail-back", (id) => failBack(deps, id));
}

async function incident(deps: ActionDeps, id: string): Promise<Incident> {
  const found = ((await deps.watchdogs.incidents()) as Incident[]).find((i) => i.id === id);
  if (!found) throw new AnswerError(404, "not_found", `incident ${id} does not exist`);
  return found;
}

function acknowledge(deps: ActionDeps, id: string): ActionWork {
  return async (acting, actor, key) => {
    const found = await incident(deps, id);
    if (found.phase === "closed") throw new AnswerError(409, "closed", `incident ${id} is closed already`);
    const earlier = (await readAcknowledgements(deps.store)).get(found.id);
    if (earlier)
      return { outcome: { acknowledged: earlier }, summary: `already acknowledged by ${earlier.by}` };
    const ack = { by: actor, at: clockNowDate().toISOString() };
    await acknowledgeIncident(acting, found, ack, key);
    return { outcome: { acknowledged: ack }, summary: "acknowledged" };
  };
}

function failBack(deps: ActionDeps, id: string): ActionWork {
  return async (acting, actor, key) => {
    const found = await incident(deps, id);
    if (found.phase !== "failed-over")
      throw new AnswerError(409, "not_failed_over", `incident ${id} is ${found.phase}, not failed over`);
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
    if (!closed) throw new AnswerError(409, "not_failed_over", `incident ${id} is no longer failed over`);
    deps.board.recordState(found.backup, { status: "paused" });
    deps.board.recordState(found.primary, { status: "active" });
    await shareState(deps.store, found.backup, "paused");
    await shareState(deps.store, found.primary, "active");
    return {
      outcome: { phase: closed.phase, closedBy: closed.closedBy },
      summary: "failed back: backup paused, primary resumed",
    };
  };
}

/** `POST /api/dialer/rollback` (operators) and `GET /api/dialer/history` (what it lists). */
function dialerRoutes({ app, deps, perform }: Context): void {
  app.post(
    "/api/dialer/rollback",
    { ...ACTION, schema: { body: rollbackBody, response: answered } },
    async (request) => {
      const b = request.body;
      const call = {
        principal: operator(request),
        action: "dialer.rollback",
        target: b.campaignId ?? "tenant",
      };
      return perform({ ...call, intent: b.intent }, async (_acting, actor) => {
        const result = await control(deps).rollbackDialerSettings(
          { store: deps.store, actor },
          {
            campaignId: b.campaignId,
            to: b.to,
            wait: { minDelayMs: 250, maxDelayMs: 2_000, maxWaitMs: 120_000 },
            rollbackWaitMs: 300_000,
          },
        );
        if (result.outcome === "failed" || result.outcome === "refused")
          throw new AnswerError(
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
      });
    },
  );

  // What the rollback button lists (read-only, any signed-in role).
  const history = { response: { 200: dialerHistoryAnswer } };
  app.get("/api/dialer/history", { config: SIGNED_IN, schema: history }, async () => ({
    versions: (await readHistory(deps.store.kv)).map((row) => ({
      versionTag: row.versionTag,
      at: row.at,
      source: row.source,
      outcome: row.outcome,
      dialRatio: row.settings.algorithm?.dialRatio ?? null,
      algorithm: row.settings.algorithm?.type ?? null,
    })),
  }));
}

/** `POST /api/outbox/events/:id/replay` (operators) and `GET /api/outbox/dead` (what it lists). */
function outboxRoutes({ app, deps, perform }: Context): void {
  const { store } = deps;
  app.post(
    "/api/outbox/events/:id/replay",
    { ...ACTION, schema: { params: eventParams, body: intentBody, response: answered } },
    async (request) => {
      const { id } = request.params;
      const call = { principal: operator(request), action: "outbox.replay", target: id };
      return perform({ ...call, intent: request.body.intent }, async (acting, _actor, key) => {
        const event = await store.outbox.get(id);
        if (!event) throw new AnswerError(404, "not_found", `outbox event ${id} does not exist`);
        if (event.status !== "dead")
          throw new AnswerError(409, "not_dead", `outbox event ${id} is ${event.status}, not dead`);
        const requeued = await acting.journal.run(
          localOperation<{ id: string; destination: string; type: string }, number>(
            "outbox.replay",
            (payload, count) => ({ after: { requeued: count }, details: payload }),
            (payload) => store.outbox.replay({ id: payload.id }),
          ),
          {
            target: id,
            payload: { id, destination: event.destination, type: event.type },
            idempotencyKey: key,
          },
        );
        return { outcome: { requeued }, summary: `requeued for ${event.destination}` };
      });
    },
  );

  // What the replay button lists (read-only, any signed-in role).
  const dead = { response: { 200: deadEventsAnswer } };
  app.get("/api/outbox/dead", { config: SIGNED_IN, schema: dead }, async () => ({
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
}
