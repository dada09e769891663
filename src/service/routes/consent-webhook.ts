import type { FastifyReply } from "fastify";
import { z } from "zod";
import {
  ConsentNotRecordedEverywhereError,
  recordInEveryTenant,
  type TenantLedger,
} from "../../consent/every-tenant.ts";
import { recordRevocations } from "../../consent/ledger.ts";
import type { MessageIntent } from "../../consent/message-intent.ts";
import { type Revocation, revocationOf } from "../../consent/revocation.ts";
import { clockNowMs } from "../../core/clock/now.ts";
import { zonedInstantIssue } from "../../core/instant-input.ts";
import { StoreFullError } from "../../core/store/errors.ts";
import type { Store } from "../../core/store/index.ts";
import { AnswerError } from "../error-answers.ts";
/**
 * `POST /webhooks/consent` (issue 62 §1): SMS and email systems tell cxo that a person revoked
 * consent. Signed and replay-checked exactly like `/webhooks/cxone` (the same verifier, limiter
 * and id ledgers: routes/webhooks.ts); the body is
 * `{id, type: "consent.revoked", occurredAt, data: {phone?, account?, at?, channel, scope?, source?}}`
 * (`at` defaults to `occurredAt`; `phone` or `account`, or both: an account revokes every number
 * it has, issue 77 §2). The revocation is recorded in the business unit's ledger at
 * once (cxo refuses the number from then on); the leader's consent watcher puts it in the CXone
 * DNC group within `consent.pollSeconds`. Answers: 204 recorded, 200 duplicate (the same webhook
 * id, or a revocation the ledger already holds), 400 naming the field.
 *
 * Scope `all` (issue 78 §1): recorded in every business unit this service serves that shares the
 * seller (consent/every-tenant.ts) before the answer, which names them: 200 `{tenants: [{tenant,
 * holds, added}]}`; a unit whose ledger failed makes it 503 (`consent_not_recorded_everywhere`,
 * the same list) after the others recorded it, and the sender's retry — a duplicate webhook id —
 * records it again where it is missing (recording is idempotent).
 */
export const CONSENT_WEBHOOK_PATH = "/webhooks/consent";
export const CONSENT_EVENT = "consent.revoked";

export interface ConsentReceiver {
  /** The business unit (undefined: the one the service serves). */
  tenant?: string | undefined;
  store: Store;
  cxoneGroupId: string | undefined;
  /** The other business units served that share this one's seller (scope `all`). */
  sellerPeers?: () => ReadonlyArray<{ tenant: string; store: Store; cxoneGroupId: string | undefined }>;
  /** Tenants of the seller this service does not serve: scope `all` is refused (400), nothing recorded. */
  unservedPeers?: readonly string[];
  /** Campaign ids a `campaign:C` scope may name (those the business unit's board shows). */
  campaigns(): readonly string[];
}

const envelope = z.object({
  id: z.string().min(1).max(200),
  type: z.literal(CONSENT_EVENT),
  occurredAt: z.string().transform(zonedInstantIssue),
  data: z.record(z.string(), z.unknown()),
});

const ACTOR = "webhook:consent";

/** The envelope, checked: a 400 naming the field otherwise. */
export function parseConsentEvent(raw: Buffer): z.infer<typeof envelope> {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new AnswerError(400, "invalid_json", "body is not JSON");
  }
  const parsed = envelope.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AnswerError(
      400,
      "invalid_event",
      `${issue?.path.join(".") || "body"}: ${issue?.message ?? "malformed"}`,
    );
  }
  return parsed.data;
}

/** The event's revocation, checked (a 400 naming the field otherwise): nothing recorded yet. */
export function revocationOfEvent(
  receiver: ConsentReceiver,
  event: z.infer<typeof envelope>,
): Revocation & { message?: { text: string; intent: MessageIntent } } {
  const refused = (rule: string) => new AnswerError(400, "invalid_revocation", rule);
  const names = {
    phone: "data.phone",
    account: "data.account",
    at: "data.at",
    channel: "data.channel",
    scope: "data.scope",
    source: "data.source",
    message: "data.message",
  };
  const { revocation, problems, message } = revocationOf(event.data, {
    nowMs: clockNowMs(),
    // A sender's clock a little ahead: received now, honoured at once (issue 78 §9).
    futureSlackMs: 5 * 60_000,
    defaults: { at: event.occurredAt },
    names,
  });
  if (!revocation) {
    const first = problems[0];
    throw new AnswerError(400, "invalid_revocation", `${first?.field}: ${first?.rule}`);
  }
  const campaign = revocation.scope.kind === "campaign" ? revocation.scope.campaignId : undefined;
  if (campaign !== undefined && !receiver.campaigns().includes(campaign))
    throw new AnswerError(
      400,
      "invalid_revocation",
      `data.scope: names campaign ${campaign}, which this business unit does not have`,
    );
  if (revocation.scope.kind === "all" && (receiver.unservedPeers?.length ?? 0) > 0)
    throw refused(
      `data.scope: all reaches every business unit of the seller, and this service does not serve ${receiver.unservedPeers?.join(", ")}: serve them together (one cxo serve started for every unit, no single tenant named), or send it with scope tenant to each`,
    );
  return {
    ...revocation,
    source: revocation.source ?? `webhook ${event.id}`,
    ...(message ? { message } : {}),
  };
}

/**
 * An event with a `message` whose words are not a revocation (issue 92 §3): unclear words are
 * queued for a person's review (202 `{ignored: true, reason}` naming it), other words are not a
 * revocation (202 too); undefined for an event to record.
 */
export async function messageNotRevocation(
  receiver: ConsentReceiver,
  event: ReturnType<typeof revocationOfEvent>,
): Promise<string | undefined> {
  const { message, ...revocation } = event;
  if (!message || message.intent.verdict === "revocation") return undefined;
  if (message.intent.verdict === "other") return "the message's words are not a revocation";
  const [{ queueForReview, reviewItemOf }, { deadlineOfRevocation }] = await Promise.all([
    import("../../consent/review-queue.ts"),
    import("../../compliance/revocation-report.ts"),
  ]);
  const deadline = deadlineOfRevocation(revocation.phone, revocation.receivedAt);
  const item = reviewItemOf(revocation, message.text, message.intent.basis, deadline);
  await queueForReview(receiver.store, [item]);
  return `the message's words need a person (${message.intent.basis}): in review as ${item.id} (cxo consent review)`;
}

/**
 * A revocation naming an account is recorded whatever cxo has read: an account not
 * seen yet, or a phone cxo knows for other accounts, is said — the service logs a warning with
 * these words — never refused (a sender told 400 would drop a consumer's "stop").
 */
export async function accountNoticesOfEvent(
  receiver: ConsentReceiver,
  revocation: Revocation,
): Promise<Array<{ account: string; kind: string; log: string }>> {
  if (revocation.account === undefined) return [];
  const { accountNotices } = await import("../../consent/accounts.ts");
  // The log names the account, never the number (a log is read more widely than the ledger).
  return (await accountNotices(receiver.store.db, revocation.account, revocation.phone)).map((n) => ({
    account: n.account,
    kind: n.kind,
    log:
      n.kind === "unseen"
        ? `consent webhook: recorded a revocation for account ${n.account}, which no list, history, plan or touches file cxo has read holds yet: it covers every number the account gains later (check the id)`
        : `consent webhook: recorded a revocation for account ${n.account} with a number cxo knows for account ${n.otherAccounts?.join(", ")}: those accounts' other numbers are not covered`,
  }));
}

/**
 * Records a checked revocation; answers what `/webhooks/consent` answers.
 *
 * Why not `client.consent.revoke` (compliance/revocation-intake.ts `revokeIn`), which records
 * through the same fan-out (`recordInEveryTenant`): a `deferCxone` option alone would not make it
 * this route. The two differ in what the route must keep byte for byte:
 * - CXone: revoke's ledger honours inline (book.ts `ledgerOfBook` → `cxone.honour`, plus
 *   `refuseGroup` and, for scope `campaign:C`, `checkScope` asking CXone); the route must answer
 *   fast and makes no CXone call — the group is the leader's consent watcher's to write.
 * - The check: the route has already checked the event (fields `data.*`, a sender's clock 5
 *   minutes ahead accepted, `at` defaulting to `occurredAt`, a campaign scope against the
 *   board's campaigns, scope `all` refused while a unit of the seller is not served); revoke
 *   checks its own params again with other rules (no slack: an `at` 3 minutes ahead is refused).
 * - Who and what is written: the audit rows' actor is `webhook:consent` and a fan-out's source
 *   `webhook <id>`; a client's revoke writes its own `actor` and source `revoke`.
 * - Scope `all`: the route records in the stores of the units this service serves
 *   (`sellerPeers`), revoke in the client's `consentPeers`' books; and a duplicate webhook id
 *   records again only there.
 * - Its answer: revoke also reads the report entry (`reportOne`) and the account notices, which
 *   the route computes before the id is remembered, to log them.
 * Routing it through revoke would take five options that only the service may use (an actor of
 * the caller's choosing, a pre-checked revocation, no CXone, no scope check, the fan-out's
 * source and stores): a second, hidden revoke inside the public one. It stays on the ledger's
 * functions, beside revoke; both share `recordRevocations` and `recordInEveryTenant`.
 */
export async function recordConsentEvent(
  receiver: ConsentReceiver,
  revocation: Revocation,
  reply: FastifyReply,
  duplicate = false,
): Promise<FastifyReply> {
  if (revocation.scope.kind === "all") return recordEverywhere(receiver, revocation, reply, duplicate);
  if (duplicate) return reply.code(200).send({ duplicate: true });
  const { added } = await recordRevocations(receiver.store, [revocation], {
    actor: ACTOR,
    cxoneGroupId: receiver.cxoneGroupId,
  });
  return added > 0 ? reply.code(204).send() : reply.code(200).send({ duplicate: true });
}

/** A business unit's ledger as the service records in it (a webhook, a fan-out finished at start). */
export const serviceLedgerOf = (unit: {
  tenant?: string | undefined;
  store: Store;
  cxoneGroupId: string | undefined;
}): TenantLedger => ({
  tenant: unit.tenant,
  // The CXone group is the leader's consent watcher's to write (pending entries), as for any scope.
  record: (revocations, journal) =>
    recordRevocations(unit.store, revocations, { actor: ACTOR, cxoneGroupId: unit.cxoneGroupId, ...journal }),
  store: async () => unit.store,
});

async function recordEverywhere(
  receiver: ConsentReceiver,
  revocation: Revocation,
  reply: FastifyReply,
  duplicate: boolean,
): Promise<FastifyReply> {
  const ledgers = [serviceLedgerOf(receiver), ...(receiver.sellerPeers?.() ?? []).map(serviceLedgerOf)];
  try {
    const outcomes = await recordInEveryTenant(ledgers, () => [revocation], undefined, {
      actor: ACTOR,
      source: `webhook ${revocation.source ?? ""}`.trim(),
    });
    const tenants = outcomes.map(({ tenant, holds, added }) => ({ tenant: tenant ?? null, holds, added }));
    const fresh = outcomes.some((o) => o.added > 0);
    return reply.code(200).send({ ...(duplicate || !fresh ? { duplicate: true } : {}), tenants });
  } catch (error) {
    // One business unit alone answers its own failure (every-tenant.ts); a full disk is the
    // service's trouble, not the sender's: 503, send it again (the path stays out of the answer).
    if (error instanceof StoreFullError)
      throw new AnswerError(
        503,
        error.code,
        "the revocation could not be recorded: the service's store is out of disk space; send it again",
      );
    if (!(error instanceof ConsentNotRecordedEverywhereError)) throw error;
    throw new AnswerError(
      503,
      error.code,
      "the revocation could not be recorded in every business unit of the seller; send it again",
      {
        tenants: error.tenants.map(({ tenant, holds }) => ({ tenant: tenant ?? null, holds })),
      },
    );
  }
}
