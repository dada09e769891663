import { NotFoundError } from "../core/http/errors.ts";
import type { Store } from "../core/store/index.ts";
import type { DncGroupsPort } from "../platform/ports/dnc-groups.ts";
import { numbersOfAccounts } from "./accounts.ts";
import { DncGroupMissingError } from "./dnc-group-missing-error.ts";
import type { FanOutSummary } from "./fan-out.ts";
import { accountEntries, type LedgerEntry, recordRevocations } from "./ledger.ts";
import {
  assignSkillGroup,
  awaitSkillGroupAgain,
  entriesForCxone,
  markCxone,
  phonesDoneInGroup,
  reopenRemovedFromGroups,
  reopenUnsentEntries,
  retargetEntries,
  skillsAwaitingGroup,
} from "./ledger-queue.ts";
import type { Revocation } from "./revocation.ts";
import { scopeText } from "./scope.ts";
import { ensureSkillGroup, forgetSkillGroup } from "./skill-groups.ts";
import { keepSkillLinks, keepUnlinked } from "./skill-links.ts";

/**
 * Honouring revocations in the tenant's CXone DNC group, so that CXone's own
 * dialer stops too: every ledger entry `pending` for a group is sent there once.
 *
 * The ledger row is this side effect's journal: `pending` → `sending` (committed before the
 * request) → `done` with its audit record (one transaction after it). A run that died between
 * the two leaves `sending` rows; the next run asks CXone which of their numbers the group holds
 * (`search`) and sends only the others, so each number reaches the group in one request
 * whatever was killed when. A number the group got from an earlier entry is not sent again.
 *
 * Every scope reaches CXone. Before sending, a run (1) makes pending what CXone was
 * never told (entries recorded before a group was named), (2) records one entry per number cxo
 * knows for each account that revoked (now and as later lists add numbers), and (3) finds or
 * makes the group that scrubs only skill C for the entries of scope `campaign:C`
 * (consent/skill-groups.ts). CXone checks a skill's scrubbing groups before it dials any record,
 * so a number in them is not dialled from lists already pushed either.
 */
export interface HonourSummary {
  /** Numbers sent to a group by this run. */
  sent: number;
  /** Entries found already honoured in the group (an earlier run's send, or a repeat). */
  alreadyInGroup: number;
  /** Ledger entries marked done. */
  entries: number;
  /**
   * Entries whose number was found gone from the group (removed in CXone after it was honoured)
   * and sent again by this run.
   */
  readded?: number;
  /** Entries recorded before CXone could be told (no group named then), now sent. */
  reopened?: number;
  /** Entries recorded for the numbers of accounts that revoked (one per number cxo knows). */
  accountNumbers?: number;
  /** Skills whose own group (for their campaign-scoped revocations) this run found or made. */
  skillGroups?: Array<{ skillId: string; groupId: string }>;
  /**
   * Numbers CXone refused to put in a group (its words per number): not honoured there, their
   * entries pending again, sent by the next run; absent when none was refused.
   */
  refused?: Array<{ phone: string; groupId: string; reason: string }>;
  /** Skills' own groups found no longer scrubbing their skill and linked again (skill-links.ts). */
  relinked?: Array<{ skillId: string; groupId: string }>;
  /** Skills' own groups that still do not scrub their skill: their entries are not honoured in CXone. */
  unlinked?: Array<{ skillId: string; groupId: string; reason: string }>;
  /** Scope-`all` fan-outs an earlier run left half done, finished or still waiting (fan-out.ts). */
  fanOuts?: FanOutSummary;
  /** No CXone DNC group is configured: nothing was sent (the summary says what the fan-outs did). */
  noGroup?: true;
  /**
   * The client has no connection: nothing was sent. `missing` is the setting it lacks (and the
   * words of its error); `waiting` the entries pending for a group, and those recorded while no
   * group was named.
   */
  notSent?: {
    missing: { setting: string; message: string };
    waiting: { pending: number; noGroup: number };
  };
}

export interface HonourOptions {
  actor: string | null;
  /** The tenant's consent group (`consent.cxoneDncGroup`): where tenant and `all` entries go. */
  groupId: string;
  batchSize?: number;
  signal?: AbortSignal | undefined;
  /** Read the groups kept per skill and link each that lost its skill (default true). */
  checkLinks?: boolean;
}

export async function honourInCxone(
  store: Store,
  port: DncGroupsPort,
  options: HonourOptions,
): Promise<HonourSummary> {
  const summary: HonourSummary = { sent: 0, alreadyInGroup: 0, entries: 0 };
  // A batch in flight is what a killed run leaves to check number by number (`search`): small
  // enough for that to stay cheap, large enough to add many numbers a request.
  const size = options.batchSize ?? 500;
  await recoverSending(store, port, options, summary);
  // A number someone removed from the group after it was honoured goes back in.
  const reopened = await reopenRemovedFromGroups(store, options.actor);
  if (reopened > 0) summary.readded = reopened;
  await prepareScopes(store, port, options, summary);
  // Entries whose number CXone refused stay `sending` while this run goes on (so it does not take
  // them again), and go back to `pending` at its end; a run killed before that leaves them to
  // recoverSending, which finds them not in the group.
  const refusedIds: string[] = [];
  for (;;) {
    options.signal?.throwIfAborted();
    const pending = await entriesForCxone(store, "pending", size);
    if (pending.length === 0) break;
    for (const [groupId, entries] of byGroup(pending)) {
      const known = await phonesDoneInGroup(
        store,
        groupId,
        entries.map((e) => e.phone),
      );
      const repeats = entries.filter((e) => known.has(e.phone));
      const fresh = entries.filter((e) => !known.has(e.phone));
      await markCxone(
        store,
        repeats.map((e) => e.id),
        "done",
      );
      summary.alreadyInGroup += repeats.length;
      summary.entries += repeats.length;
      if (fresh.length === 0) continue;
      const ids = fresh.map((e) => e.id);
      await markCxone(store, ids, "sending");
      const phones = [...new Set(fresh.map((e) => e.phone))];
      let refused: Map<string, string>;
      try {
        const added = await port.addRecords(
          groupId,
          phones.map((phone) => ({ phone, expiresAt: undefined })),
          options.signal,
        );
        refused = new Map(added.refused.map((r) => [r.phone, r.reason]));
      } catch (error) {
        await unlessSkillGroupGone(store, port, options, { groupId, ids, error });
        continue;
      }
      const taken = fresh.filter((e) => !refused.has(e.phone));
      const sent = phones.filter((phone) => !refused.has(phone));
      await markCxone(
        store,
        taken.map((e) => e.id),
        "done",
        { actor: options.actor, groupId, phones: sent },
      );
      refusedIds.push(...fresh.filter((e) => refused.has(e.phone)).map((e) => e.id));
      if (refused.size > 0)
        summary.refused = [
          ...(summary.refused ?? []),
          ...[...refused].map(([phone, reason]) => ({ phone, groupId, reason })),
        ];
      summary.sent += sent.length;
      summary.entries += taken.length;
    }
  }
  await markCxone(store, refusedIds, "pending");
  if (summary.unlinked) await keepUnlinked(store, summary.unlinked);
  return summary;
}

/** What each scope needs before its entries can be sent (see the module's comment). */
async function prepareScopes(
  store: Store,
  port: DncGroupsPort,
  options: HonourOptions,
  summary: HonourSummary,
): Promise<void> {
  const unsent = await reopenUnsentEntries(store, options.groupId);
  if (unsent > 0) summary.reopened = unsent;
  const accountNumbers = await expandAccountEntries(store, options);
  if (accountNumbers > 0) summary.accountNumbers = accountNumbers;
  if (options.checkLinks !== false) {
    const links = await keepSkillLinks(store, port, options);
    if (links.relinked.length > 0) summary.relinked = links.relinked;
    if (links.unlinked.length > 0) summary.unlinked = links.unlinked;
  }
  const made: Array<{ skillId: string; groupId: string }> = [];
  for (const skillId of await skillsAwaitingGroup(store)) {
    options.signal?.throwIfAborted();
    const groupId = await ensureSkillGroup(store, port, skillId, options);
    await assignSkillGroup(store, skillId, groupId);
    made.push({ skillId, groupId });
  }
  if (made.length > 0) summary.skillGroups = made;
}

/**
 * One entry per number cxo knows for each account that revoked, in the account's scope (Regulation
 * F, 12 CFR 1006.14(h): the request covers the debt, whichever number was used). An entry's id is
 * what it says, so a number already recorded is not recorded again; a number the account gains
 * later is recorded by the next run. Returns how many entries were new.
 */
async function expandAccountEntries(store: Store, options: HonourOptions): Promise<number> {
  const entries = await accountEntries(store);
  if (entries.length === 0) return 0;
  const numbers = await numbersOfAccounts(
    store.db,
    entries.flatMap((e) => e.account ?? []),
  );
  // What each number of an account already has in the ledger (an earlier run's entry, or the
  // number named with the account): recorded once, not written again every run.
  const keyOf = (phone: string, e: LedgerEntry) =>
    `${phone}\u0000${e.account}\u0000${Date.parse(e.receivedAt)}\u0000${e.channel}\u0000${scopeText(e.scope)}`;
  const known = new Set(entries.filter((e) => e.phone !== "").map((e) => keyOf(e.phone, e)));
  const derived: Revocation[] = entries.flatMap((e) =>
    (numbers.get(e.account as string) ?? [])
      .filter((phone) => !known.has(keyOf(phone, e)))
      .map((phone) => ({
        phone,
        account: e.account as string,
        receivedAt: e.receivedAt,
        channel: e.channel,
        scope: e.scope,
        source: `account ${e.account}${e.source ? `: ${e.source}` : ""}`.slice(0, 200),
      })),
  );
  if (derived.length === 0) return 0;
  const recorded = await recordRevocations(store, derived, {
    actor: options.actor,
    cxoneGroupId: options.groupId,
    batchAudit: { source: "consent: the numbers of accounts that revoked" },
    signal: options.signal,
  });
  return recorded.added;
}

/**
 * A group cxo keeps for one skill that CXone no longer has (someone deleted it): its entries wait
 * for a group again (`skill:C`) and the next run finds or makes one. Any other group CXone does
 * not have (the tenant's `consent.cxoneDncGroup`) fails the run, DncGroupMissingError, its entries
 * pending again: no retry makes the group exist. Any other failure is thrown.
 */
async function unlessSkillGroupGone(
  store: Store,
  port: DncGroupsPort,
  options: HonourOptions,
  gone: { groupId: string; ids: readonly string[]; error: unknown },
): Promise<void> {
  if (!(gone.error instanceof NotFoundError)) throw gone.error;
  const skillId = await forgetSkillGroup(store, gone.groupId);
  await markCxone(store, gone.ids, "pending");
  if (skillId === undefined) {
    // Recorded for a tenant group since replaced in the settings: the one configured takes them.
    if (gone.groupId !== options.groupId) {
      const moved = await retargetEntries(
        store,
        gone.ids,
        { from: gone.groupId, to: options.groupId },
        options.actor,
      );
      if (moved.length === gone.ids.length) return;
    }
    throw new DncGroupMissingError({
      groupId: gone.groupId,
      known: await port
        .list(options.signal)
        .then((groups) => groups.map(({ groupId, name }) => ({ groupId, name })))
        .catch(() => undefined),
      cause: gone.error,
    });
  }
  await awaitSkillGroupAgain(store, skillId, gone.groupId);
  await assignSkillGroup(store, skillId, await ensureSkillGroup(store, port, skillId, options));
}

/** `sending` rows a killed run left: done when the group holds the number, else pending again. */
async function recoverSending(
  store: Store,
  port: DncGroupsPort,
  options: HonourOptions,
  summary: HonourSummary,
): Promise<void> {
  for (;;) {
    const sending = await entriesForCxone(store, "sending", 500);
    if (sending.length === 0) return;
    const inGroup: string[] = [];
    const notYet: string[] = [];
    const held = new Map<string, boolean>();
    for (const entry of sending) {
      const key = `${entry.cxone.groupId}\u0000${entry.phone}`;
      let there = held.get(key);
      if (there === undefined) {
        options.signal?.throwIfAborted();
        const hits = await port.search(entry.phone, options.signal);
        there = hits.some((hit) => hit.groupId === entry.cxone.groupId);
        held.set(key, there);
      }
      (there ? inGroup : notYet).push(entry.id);
    }
    await markCxone(store, inGroup, "done");
    await markCxone(store, notYet, "pending");
    summary.alreadyInGroup += inGroup.length;
    summary.entries += inGroup.length;
  }
}

function byGroup(entries: readonly LedgerEntry[]): Map<string, LedgerEntry[]> {
  const groups = new Map<string, LedgerEntry[]>();
  for (const entry of entries) {
    const id = entry.cxone.groupId;
    if (id === null) continue;
    const list = groups.get(id) ?? [];
    list.push(entry);
    groups.set(id, list);
  }
  return groups;
}
