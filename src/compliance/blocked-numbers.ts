import { accountsOfPhones, numbersOfAccounts } from "../consent/accounts.ts";
import {
  type CopiedRecord,
  recordsOfGroup,
  recordsOfPhones,
  syncedGroups,
} from "../consent/dnc-group-copy.ts";
import {
  allRevocations,
  type LedgerRevocation,
  revocationsOfAccounts,
  revocationsOfPhonesAndAccounts,
} from "../consent/ledger-lookups.ts";
import { scopeCovers, scopeText } from "../consent/scope.ts";
import { clockNowMs } from "../core/clock/now.ts";
import { UK_E164 } from "../core/phone-number.ts";
import { printable } from "../core/printable.ts";
import type { Store } from "../core/store/index.ts";
import { type DncList, listedAfter, listedAmong, type SuppressionOptions } from "./dnc.ts";
import { sqlOf } from "./store-sql.ts";
import {
  CXONE_DNC_CITATION,
  REVOCATION_CITATION,
  type Suppression,
  UK_CXONE_DNC_CITATION,
  UK_REVOCATION_CITATION,
} from "./suppression.ts";
/**
 * Every number the data dir says not to call, as one lookup for the checks (issue 62): the
 * internal DNC list, the consent ledger's revocations (per scope: the whole tenant, one
 * campaign, or every tenant of the seller — an `all` revocation is written into each such
 * tenant's store, so reading one store is enough), and the local copy of the tenant's CXone DNC
 * groups (`cxo compliance dnc sync`; a group counts for a campaign when it is active and scrubs
 * the campaign's skill, and for a check naming no campaign when it is active).
 *
 * A revocation naming an account (issue 77 §2) covers a number when the number is one cxo has
 * read for the account (consent/accounts.ts), or when the caller names the account (a plan row's
 * `accountId`, a check's `account`): looked up as the number is checked, never a snapshot.
 *
 * Two ways to load it (issue 78 §5): `dncListFor` the numbers a command asks about (a check, a
 * push), looked up by index a few hundred a query, whatever the size of the ledger or of the
 * groups; `loadDncList` everything, read in batches, for a scrub or a plan over a whole list.
 * Then asked synchronously for each number.
 */

/** A number's record in one ACTIVE CXone DNC group, with what the group scrubs. */
export interface GroupRecord {
  groupId: string;
  name: string;
  scrubbed: readonly string[];
  expiresMs: number;
}

type ActiveGroups = Map<string, { name: string; scrubbed: string[] }>;

/** Numbers per `IN (…)` list. */
const PHONES_PER_QUERY = 500;
/** Rows per query of a bulk load. */
const BULK_ROWS = 50_000;

async function activeGroupsOf(store: Store): Promise<ActiveGroups> {
  const groups = await syncedGroups(sqlOf(store));
  return new Map(
    groups.filter((g) => g.active).map((g) => [g.groupId, { name: g.name, scrubbed: g.scrubbedSkillIds }]),
  );
}

function addGroupRecord(inGroups: Map<string, GroupRecord[]>, active: ActiveGroups, row: CopiedRecord): void {
  const group = active.get(row.group_id);
  if (!group) return;
  const list = inGroups.get(row.phone) ?? [];
  list.push({
    groupId: row.group_id,
    name: group.name,
    scrubbed: group.scrubbed,
    expiresMs: row.expires_at ? Date.parse(row.expires_at) : Number.POSITIVE_INFINITY,
  });
  inGroups.set(row.phone, list);
}

/**
 * The lookup for these numbers only (a check, a push): each table read by its phone index. Asking
 * it about a number not given is a programming error (it would answer "not blocked").
 */
export async function dncListFor(
  store: Store,
  phones: Iterable<string>,
  extra: Iterable<string> = [],
  accounts: Iterable<string> = [],
  options: { cxoneGroups?: boolean } = {},
): Promise<DncList> {
  // Evidence reads the CXone DNC copy as it was at each attempt (evidence/cxone-copy.ts), not now.
  const withGroups = options.cxoneGroups !== false;
  const asked = new Set(phones);
  const wanted = [...asked];
  const sql = sqlOf(store);
  const internal = new Set(extra);
  const inGroups = new Map<string, GroupRecord[]>();
  const named = new Set(accounts);
  // The numbers' and the named accounts' revocations in one statement; then those of the other
  // accounts the numbers belong to, when there are any.
  const [{ byPhone: revocations, byAccount: accountRevocations }, active, phoneAccounts] = await Promise.all([
    revocationsOfPhonesAndAccounts(sql, wanted, named),
    withGroups ? activeGroupsOf(store) : (new Map() as ActiveGroups),
    accountsOfPhones(sql, wanted),
  ]);
  const others = [...phoneAccounts.values()].flat().filter((account) => !named.has(account));
  for (const [account, found] of await revocationsOfAccounts(sql, others))
    accountRevocations.set(account, found);
  for (let i = 0; i < wanted.length; i += PHONES_PER_QUERY) {
    const part = wanted.slice(i, i + PHONES_PER_QUERY);
    const [listed, records] = await Promise.all([
      listedAmong(sql, part),
      withGroups ? recordsOfPhones(sql, part) : ([] as CopiedRecord[]),
    ]);
    for (const phone of listed) internal.add(phone);
    for (const row of records) addGroupRecord(inGroups, active, row);
  }
  const guard = (phone: string) => {
    if (!asked.has(phone)) throw new Error(`dncListFor: ${phone} was not among the numbers loaded`);
  };
  const list = dncListOf(internal, revocations, inGroups, { phoneAccounts, accountRevocations });
  return {
    ...list,
    has: (phone) => {
      guard(phone);
      return list.has(phone);
    },
    suppressions: (phone, campaignId, atMs, accountId, options) => {
      guard(phone);
      if (accountId !== undefined && !named.has(accountId))
        throw new Error(`dncListFor: account ${accountId} was not among the accounts loaded`);
      return list.suppressions?.(phone, campaignId, atMs, accountId, options) ?? [];
    },
    textStops: (phone) => {
      guard(phone);
      return list.textStops?.(phone) ?? [];
    },
  };
}

/** The whole lookup (a scrub, a plan over a whole list): every table read in batches. */
export async function loadDncList(store: Store, extra: Iterable<string> = []): Promise<DncList> {
  const sql = sqlOf(store);
  const phones = new Set(extra);
  let after = "";
  for (;;) {
    const listed = await listedAfter(sql, after, BULK_ROWS);
    for (const phone of listed) phones.add(phone);
    if (listed.length < BULK_ROWS) break;
    after = listed.at(-1) ?? after;
  }
  const revocations = new Map<string, LedgerRevocation[]>();
  const accountRevocations = new Map<string, LedgerRevocation[]>();
  for await (const r of allRevocations(sql, BULK_ROWS)) {
    if (r.account !== undefined)
      accountRevocations.set(r.account, [...(accountRevocations.get(r.account) ?? []), r]);
    if (r.phone === "") continue;
    const list = revocations.get(r.phone) ?? [];
    list.push(r);
    revocations.set(r.phone, list);
  }
  // The numbers of the revoked accounts only (the revocations are few; the accounts' table is not).
  const phoneAccounts = new Map<string, string[]>();
  for (const [account, numbers] of await numbersOfAccounts(sql, accountRevocations.keys()))
    for (const phone of numbers) phoneAccounts.set(phone, [...(phoneAccounts.get(phone) ?? []), account]);
  const active = await activeGroupsOf(store);
  const inGroups = new Map<string, GroupRecord[]>();
  for (const groupId of active.keys()) {
    let afterPhone = "";
    for (;;) {
      const rows = await recordsOfGroup(sql, groupId, afterPhone, BULK_ROWS);
      for (const row of rows) addGroupRecord(inGroups, active, row);
      if (rows.length < BULK_ROWS) break;
      afterPhone = rows.at(-1)?.phone ?? afterPhone;
    }
  }
  return dncListOf(phones, revocations, inGroups, { phoneAccounts, accountRevocations });
}

/** The accounts' side of the lookup: each number's accounts, each account's revocations. */
interface AccountLookup {
  phoneAccounts: ReadonlyMap<string, readonly string[]>;
  accountRevocations: ReadonlyMap<string, readonly LedgerRevocation[]>;
}

function dncListOf(
  phones: ReadonlySet<string>,
  revocations: ReadonlyMap<string, readonly LedgerRevocation[]>,
  inGroups: ReadonlyMap<string, readonly GroupRecord[]>,
  accounts: AccountLookup,
): DncList {
  const revocationsOf = (phone: string, accountId: string | undefined) => {
    const found = [...(revocations.get(phone) ?? [])];
    const named = new Set(accounts.phoneAccounts.get(phone) ?? []);
    if (accountId !== undefined) named.add(accountId);
    for (const account of named) found.push(...(accounts.accountRevocations.get(account) ?? []));
    return found;
  };
  return {
    has: (phone) => phones.has(phone),
    size: phones.size,
    // Issue 79: a STOP by text, whatever its scope, is what Virginia's 10-year rule counts from.
    textStops: (phone) =>
      (revocations.get(phone) ?? []).filter((r) => r.channel === "sms").map((r) => r.receivedMs),
    suppressions(phone, campaignId, atMs, accountId, options) {
      const found: Suppression[] = [];
      for (const r of revocationsOf(phone, accountId)) {
        if (!receivedInTime(r, atMs, options)) continue;
        if (!scopeCovers(r.scope, campaignId)) continue;
        const who = r.account === undefined ? phone : `${phone} (account ${r.account})`;
        found.push({
          code: "consent_revoked",
          message: `${who} revoked consent on ${r.receivedAt} (channel ${r.channel}, scope ${scopeText(r.scope)})${aheadNote(r, options)}`,
          // A UK number's revocation answers to PECR and the UK GDPR, a NANP number's to the FCC.
          ...(isUk(phone)
            ? { ruleId: "gb-consent-revocation", citation: UK_REVOCATION_CITATION }
            : { ruleId: "us-consent-revocation", citation: REVOCATION_CITATION }),
          confidence: "verified",
        });
        break;
      }
      found.push(...cxoneDncSuppressions(phone, inGroups.get(phone) ?? [], campaignId, atMs));
      return found;
    },
  };
}

/**
 * Whether a revocation counts (High): for a judgement made now, every revocation the
 * ledger holds does, whatever its stamp — one recorded by a process whose clock is ahead (a
 * forgotten CXO_CLOCK, hosts whose clocks differ) is no less a revocation. Only a past attempt
 * replayed as of its instant (the evidence) leaves out what was received after it.
 */
function receivedInTime(
  r: LedgerRevocation,
  atMs: number | undefined,
  options: SuppressionOptions | undefined,
): boolean {
  return !(options?.replay === true && atMs !== undefined && atMs < r.receivedMs);
}

/** Said of a revocation stamped after this process's clock, when it is judged now: reported, and counted. */
function aheadNote(r: LedgerRevocation, options: SuppressionOptions | undefined): string {
  if (options?.replay === true) return "";
  const nowMs = clockNowMs();
  if (r.receivedMs <= nowMs) return "";
  return ` — stamped ${r.receivedAt}, ahead of this host's clock (${new Date(nowMs).toISOString()}): counted all the same; check the clocks of the hosts and CXO_CLOCK settings that record revocations`;
}

/**
 * The `cxone_dnc` reasons for a number held by these active groups: a group counts for a campaign
 * when it scrubs the campaign's skill (for a check naming no campaign, always), while its record
 * has not expired. Shared by the synced copy and a live search (cxone-dnc-freshness.ts).
 */
export function cxoneDncSuppressions(
  phone: string,
  groups: readonly GroupRecord[],
  campaignId: string | undefined,
  atMs: number | undefined,
): Suppression[] {
  const found: Suppression[] = [];
  for (const g of groups) {
    if (atMs !== undefined && atMs >= g.expiresMs) continue;
    if (campaignId !== undefined && !g.scrubbed.includes(campaignId)) continue;
    found.push({
      code: "cxone_dnc",
      // The group's name is CXone's data: a line break in it must not forge a line of the
      // verdict (issue 78 §8), so its control characters are escaped where it is quoted.
      message: `${phone} is in the CXone DNC group "${printable(g.name)}" (id ${printable(g.groupId)})${campaignId === undefined ? "" : `, which scrubs skill ${campaignId}`}`,
      ruleId: `cxone-dnc-group-${g.groupId}`,
      citation: isUk(phone) ? UK_CXONE_DNC_CITATION : CXONE_DNC_CITATION,
      confidence: "verified",
    });
  }
  return found;
}

const isUk = (phone: string) => UK_E164.test(phone);
