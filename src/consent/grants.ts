import { ACCOUNT_PATTERN, ACCOUNT_RULE } from "../core/ids.ts";
import { InputError, type InputProblem } from "../core/input-error.ts";
import { instantInputMs, instantInputProblem, ZONED_INSTANT_RULE } from "../core/instant-input.ts";
import { parseNanpOrUk } from "../core/phone-number.ts";
import { readKvMap, type Store } from "../core/store/index.ts";
import { localOperation } from "../core/store/local-operation.ts";

/**
 * Issue 92 §2: the consent ledger records grants as well as revocations — `consent grant`: whose
 * number (or account), for which purposes, written or not, whether an AI voice was disclosed, when
 * and from where. A check of a call with a prerecorded or AI voice reads the newest grant in force
 * for the call's purpose: prior express consent, written or not (a revocation after it still
 * refuses the number: the ledger's revocations are read as ever). Kept in the store's kv
 * (namespace `consent.grants`, one entry per number and per account), each grant audited.
 */
export const CONSENT_GRANTS = "consent.grants";
/** What a consent is for: telemarketing (sales), informational calls, or collections. */
export type Purpose = "telemarketing" | "informational" | "collections";
export const PURPOSES: readonly Purpose[] = ["telemarketing", "informational", "collections"];

export interface Grant {
  phone: string;
  account?: string;
  purposes: Purpose[];
  written: boolean;
  aiDisclosed: boolean;
  grantedAt: string;
  source: string | null;
}

export interface GrantInput {
  phone?: unknown;
  account?: unknown;
  purpose?: unknown;
  written?: unknown;
  aiDisclosed?: unknown;
  at?: unknown;
  source?: unknown;
}

/** The grant the input describes; an InputError naming every bad field (nothing recorded). */
export function grantOf(input: GrantInput, nowMs: number): Grant {
  const problems: InputProblem[] = [];
  // A UK number too: its consent exempts it from the TPS/CTPS (PECR reg 21(4)) as a plan and a push read it.
  const phone =
    typeof input.phone === "string" && input.phone !== "" ? parseNanpOrUk(input.phone.trim()) : null;
  if (input.phone !== undefined && input.phone !== "" && !phone)
    problems.push({
      field: "phone",
      rule: "must be an E.164 North American number such as +13125550123, or a UK one such as +447700900123",
    });
  const account =
    typeof input.account === "string" && input.account !== "" ? input.account.trim() : undefined;
  if (account !== undefined && !ACCOUNT_PATTERN.test(account))
    problems.push({ field: "account", rule: ACCOUNT_RULE });
  if (!phone && account === undefined && problems.length === 0)
    problems.push({ field: "phone", rule: "is required (or name the account)" });
  const purposes = (
    Array.isArray(input.purpose)
      ? input.purpose
      : typeof input.purpose === "string"
        ? input.purpose.split(",")
        : []
  )
    .map((p) => String(p).trim())
    .filter((p) => p !== "");
  if (purposes.length === 0)
    problems.push({ field: "purpose", rule: `is required: one or more of ${PURPOSES.join(", ")}` });
  else if (purposes.some((p) => !(PURPOSES as readonly string[]).includes(p)))
    problems.push({ field: "purpose", rule: `must be one or more of ${PURPOSES.join(", ")}` });
  if (typeof input.written !== "boolean") problems.push({ field: "written", rule: "is required: yes or no" });
  if (input.aiDisclosed !== undefined && typeof input.aiDisclosed !== "boolean")
    problems.push({ field: "aiDisclosed", rule: "must be yes or no" });
  let grantedAt = new Date(nowMs).toISOString();
  if (input.at !== undefined) {
    const problem = instantInputProblem(input.at);
    const atMs = problem === undefined ? instantInputMs(input.at, "at") : undefined;
    if (atMs === undefined) problems.push({ field: "at", rule: problem ?? ZONED_INSTANT_RULE });
    else if (atMs > nowMs) problems.push({ field: "at", rule: "must not be in the future" });
    else grantedAt = new Date(atMs).toISOString();
  }
  const source = typeof input.source === "string" && input.source !== "" ? input.source.slice(0, 200) : null;
  if (problems.length > 0) throw new InputError(problems);
  return {
    phone: phone ? phone.e164 : "",
    ...(account === undefined ? {} : { account }),
    purposes: [...new Set(purposes)] as Purpose[],
    written: input.written as boolean,
    aiDisclosed: input.aiDisclosed === true,
    grantedAt,
    source,
  };
}

const keysOf = (grant: Pick<Grant, "phone" | "account">) => [
  ...(grant.phone ? [`phone:${grant.phone}`] : []),
  ...(grant.account ? [`account:${grant.account}`] : []),
];

/** Records a grant (audited `consent.grant`); the newest grant of a number or account is the one read. */
export async function recordGrant(store: Store, grant: Grant): Promise<void> {
  const op = localOperation<Grant>("consent.grant", (payload) => ({
    details: payload,
    checkpoints: keysOf(payload).map((key) => ({ namespace: CONSENT_GRANTS, key, value: payload })),
  }));
  await store.journal.run(op, { target: grant.phone || `account:${grant.account}`, payload: grant });
}

/** The purpose a call's kind needs: sales is telemarketing, collections is collections. */
const purposeOfKind = (kind: string | undefined): Purpose =>
  kind === "collections" ? "collections" : "telemarketing";

/**
 * What a grant says of a call's consent: given, written or not, AI disclosed or not (the fields
 * the voice rules read of a call's facts: compliance/voice-rules.ts `VoiceFacts`).
 */
export interface GrantFacts {
  consent: true;
  /** The consent on record is written (`consent grant --written yes`). */
  writtenConsent?: boolean | undefined;
  /** The consent was given with the AI voice disclosed. */
  aiDisclosed?: boolean | undefined;
}

/** The grants of numbers and accounts, asked per record (a plan's, a push's): one reading for every caller. */
export interface GrantLookup {
  /** What the newest grant in force at `atMs` for the number (or its account) says of a call of `kind`. */
  factsOf(
    phone: string,
    account: string | undefined,
    kind: string | undefined,
    atMs: number,
  ): GrantFacts | undefined;
  /** How many grants it holds (none: a plan need not ask). */
  readonly size: number;
}

/**
 * What the newest grant in force at `atMs` for the number (or its account) says of a call of
 * `kind`: its consent, written or not, AI disclosed or not; undefined when none covers it.
 */
export async function grantFacts(
  store: Store,
  phone: string,
  account: string | undefined,
  kind: string | undefined,
  atMs: number,
): Promise<GrantFacts | undefined> {
  return (await grantLookup(store, { phones: [phone], accounts: account ? [account] : [] })).factsOf(
    phone,
    account,
    kind,
    atMs,
  );
}

/**
 * The grants of these numbers and accounts (a push's, a check's: each looked up by key), or every
 * grant the store holds (`keys` absent: a plan over a whole list).
 */
export async function grantLookup(
  store: Store,
  keys?: { phones: Iterable<string>; accounts: Iterable<string> },
): Promise<GrantLookup> {
  let byKey: Map<string, Grant>;
  if (keys === undefined) {
    byKey = await readKvMap<Grant>(store.kv, CONSENT_GRANTS);
  } else byKey = await grantsOf(store, new Set(keys.phones), new Set(keys.accounts));
  return {
    size: byKey.size,
    factsOf(phone, account, kind, atMs) {
      if (byKey.size === 0) return undefined;
      const newest = grantInForce(byKey, phone, account, kind, atMs);
      return newest
        ? { consent: true, writtenConsent: newest.written, aiDisclosed: newest.aiDisclosed }
        : undefined;
    },
  };
}

/** The grants kept for these numbers and accounts, by their key (`phone:…`, `account:…`), read in batches. */
export function grantsOf(
  store: Store,
  phones: Iterable<string>,
  accounts: Iterable<string>,
): Promise<Map<string, Grant>> {
  const keys = [...phones].map((phone) => `phone:${phone}`);
  for (const account of accounts) keys.push(`account:${account}`);
  return store.kv.getMany<Grant>(CONSENT_GRANTS, keys);
}

/** Of `grants` (grantsOf), the newest in force at `atMs` for a call of `kind` to the number or about its account. */
export function grantInForce(
  grants: ReadonlyMap<string, Grant>,
  phone: string,
  account: string | undefined,
  kind: string | undefined,
  atMs: number,
): Grant | undefined {
  let newest: Grant | undefined;
  for (const key of keysOf({ phone, ...(account ? { account } : {}) })) {
    const grant = grants.get(key);
    if (!grant || Date.parse(grant.grantedAt) > atMs || !grant.purposes.includes(purposeOfKind(kind)))
      continue;
    if (!newest || grant.grantedAt > newest.grantedAt) newest = grant;
  }
  return newest;
}
