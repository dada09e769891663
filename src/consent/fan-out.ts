import { randomUUID } from "node:crypto";
import { appendAuditRecords } from "../core/audit/audit-log.ts";
import { clockNowDate } from "../core/clock/now.ts";
import { scrubSecrets } from "../core/logging/secrets.ts";
import type { SqlExecutor, Store } from "../core/store/index.ts";
import { deleteCheckpoint, setCheckpoints } from "../core/store/kv.ts";
import type { TenantLedger } from "./every-tenant.ts";
import { ledgerEntriesById, scopeAllIds } from "./ledger.ts";
import type { Revocation } from "./revocation.ts";
/**
 * A revocation of scope `all` is recorded in every tenant of the seller, each in its own store
 * (every-tenant.ts). A run killed between two of them left one business unit refusing the numbers
 * and its sibling allowing them, and nothing finished it. So the fan-out is journaled in the
 * tenant that received it, in the same transaction as that tenant's own copy of the scope-`all`
 * revocations and before any other tenant's batch: a row under `consent.fan-outs` naming the
 * tenants that must hold them, removed (with an audit record) once each does. A row left behind
 * by a killed run is finished by the next `consent honour`, the next fan-out and the service's
 * start: the entries it names (their ids, read back from the journaling tenant's ledger) are
 * recorded in each tenant the row names (an entry's id is what it says, so what a tenant holds
 * already is not added twice). `consent report` names any scope-`all` entry a sibling lacks.
 */
export const FAN_OUTS = "consent.fan-outs";

export interface FanOutRow {
  id: string;
  /** The tenants besides the journaling one that must hold its scope-`all` entries. */
  tenants: string[];
  startedAt: string;
  /** What fanned out: `revoke`, `import <file>`, `webhook <id>`. */
  source: string;
  /** The ledger ids of the scope-`all` revocations it carries (in the journaling tenant's ledger). */
  entries: string[];
}

export interface FanOutSummary {
  /** Fan-outs left by an earlier run and finished now. */
  finished: number;
  /** Those that could not be finished (a tenant not reachable from here, or whose ledger failed). */
  waiting: Array<{ id: string; tenant: string | undefined; missing: string[]; error?: string }>;
  /**
   * Units that lacked scope-`all` revocations another unit of the seller holds, with no journal
   * left to say so (an import that read a replaced file for one unit), now given them:
   * how many, and from which units (`evenScopeAll`). Absent when every unit held the same set.
   */
  repaired?: Array<{ tenant: string | undefined; added: number; from: string[] }>;
}

export function newFanOut(tenants: readonly string[], source: string): FanOutRow {
  return {
    id: `fo_${randomUUID()}`,
    tenants: [...tenants],
    startedAt: clockNowDate().toISOString(),
    source,
    entries: [],
  };
}

/**
 * The journal row, written in the transaction of the journaling tenant's own (single) batch: its
 * `entries` are filled as that batch is read, complete by the time the transaction begins.
 */
export const journalFanOut =
  (row: FanOutRow) =>
  (tx: SqlExecutor): Promise<void> =>
    setCheckpoints(tx, [{ namespace: FAN_OUTS, key: row.id, value: row }]);

/** Every tenant named holds it: the row goes, with an audit record saying how it ended. */
export async function endFanOut(
  store: Store,
  row: FanOutRow,
  actor: string | null,
  how: "recorded" | "finished",
): Promise<void> {
  await store.db.transaction(async (tx) => {
    // Another process finished it first: its record says so.
    if (!(await deleteCheckpoint(tx, FAN_OUTS, row.id))) return;
    await appendAuditRecords(tx, [
      {
        operation: "consent.fan-out",
        outcome: "done",
        actor,
        target: `fan-out:${row.id}`,
        details: { tenants: row.tenants, source: row.source, startedAt: row.startedAt, how },
      },
    ]);
  });
}

/**
 * Finishes every fan-out journaled in these tenants' stores, recording in the tenants each names
 * (those among `units`; one not among them waits for a run that can reach it).
 */
export async function finishFanOuts(
  units: readonly TenantLedger[],
  actor: string | null,
  signal?: AbortSignal,
): Promise<FanOutSummary> {
  const summary: FanOutSummary = { finished: 0, waiting: [] };
  for (const unit of units) {
    if (!unit.store) continue;
    const store = await unit.store();
    for (const { value } of await store.kv.list(FAN_OUTS)) {
      signal?.throwIfAborted();
      const row = value as FanOutRow;
      const missing: string[] = [];
      let error: string | undefined;
      for (const name of row.tenants) {
        const target = units.find((u) => u.tenant === name);
        if (!target) {
          missing.push(name);
          continue;
        }
        try {
          await target.record(entriesOf(store, row.entries, unit.tenant));
        } catch (cause) {
          if (signal?.aborted) throw cause;
          missing.push(name);
          error = scrubSecrets(cause instanceof Error ? cause.message : String(cause)).slice(0, 300);
        }
      }
      if (missing.length > 0) {
        summary.waiting.push({ id: row.id, tenant: unit.tenant, missing, ...(error ? { error } : {}) });
        continue;
      }
      await endFanOut(store, row, actor, "finished");
      summary.finished += 1;
    }
  }
  return summary;
}

/** The fan-out's entries, read back from the journaling tenant's ledger, as revocations to record. */
async function* entriesOf(
  store: Store,
  ids: readonly string[],
  from: string | undefined,
): AsyncGenerator<Revocation> {
  for (let i = 0; i < ids.length; i += 5000)
    for (const e of await ledgerEntriesById(store, ids.slice(i, i + 5000)))
      yield {
        phone: e.phone,
        ...(e.account === undefined ? {} : { account: e.account }),
        receivedAt: e.receivedAt,
        channel: e.channel,
        scope: e.scope,
        source: e.source ?? `scope all, from business unit ${from ?? "(unnamed)"}`,
      };
}

/**
 * For `consent report`: which of `ids` (this tenant's scope-`all` entries) each sibling lacks,
 * by entry id → the tenants that lack it.
 */
export async function siblingsLacking(
  ids: readonly string[],
  siblings: ReadonlyArray<{ tenant: string | undefined; store: Store }>,
): Promise<Map<string, string[]>> {
  const lacking = new Map<string, string[]>();
  if (ids.length === 0) return lacking;
  for (const sibling of siblings) {
    const held = new Set((await ledgerEntriesById(sibling.store, ids)).map((e) => e.id));
    for (const id of ids)
      if (!held.has(id)) lacking.set(id, [...(lacking.get(id) ?? []), sibling.tenant ?? "(unnamed)"]);
  }
  return lacking;
}

/**
 * Every unit of the seller reachable from here holds the same scope-`all` revocations:
 * a unit lacking one that another holds — whatever left it so: an import that read a replaced
 * file for one unit, a store restored from an old backup — is given it, read back from a unit
 * that holds it (the entry's id is what it says, so nothing is recorded twice), with an audit
 * record naming where it came from. A unit whose ledger cannot record is left in `waiting`.
 * A seller whose units agree costs one read of each unit's scope-`all` ids.
 */
export async function evenScopeAll(
  units: readonly TenantLedger[],
  actor: string | null,
  signal?: AbortSignal,
): Promise<Pick<FanOutSummary, "repaired" | "waiting">> {
  const held: Array<{ unit: TenantLedger; store: Store; ids: Set<string> }> = [];
  for (const unit of units) {
    if (!unit.store) continue;
    const store = await unit.store();
    held.push({ unit, store, ids: new Set(await scopeAllIds(store)) });
  }
  const repaired: NonNullable<FanOutSummary["repaired"]> = [];
  const waiting: FanOutSummary["waiting"] = [];
  if (held.length < 2) return { waiting };
  for (const target of held) {
    signal?.throwIfAborted();
    const from: Array<{ tenant: string | undefined; store: Store; ids: string[] }> = [];
    const taken = new Set<string>();
    for (const source of held) {
      if (source === target) continue;
      const ids = [...source.ids].filter((id) => !target.ids.has(id) && !taken.has(id));
      for (const id of ids) taken.add(id);
      if (ids.length > 0) from.push({ tenant: source.unit.tenant, store: source.store, ids });
    }
    if (from.length === 0) continue;
    try {
      let added = 0;
      for (const source of from)
        added += (await target.unit.record(entriesOf(source.store, source.ids, source.tenant))).added;
      const names = from.map((f) => f.tenant ?? "(unnamed)");
      await target.store.db.transaction((tx) =>
        appendAuditRecords(tx, [
          {
            operation: "consent.fan-out",
            outcome: "done",
            actor,
            target: "scope:all",
            details: { how: "evened", entries: taken.size, added, from: names },
          },
        ]),
      );
      repaired.push({ tenant: target.unit.tenant, added, from: names });
    } catch (cause) {
      if (signal?.aborted) throw cause;
      // `scope-all`: not a journal row's id — the units' sets differ (said "held by" the source).
      waiting.push({
        id: "scope-all",
        tenant: from[0]?.tenant,
        missing: [target.unit.tenant ?? "(unnamed)"],
        error: scrubSecrets(cause instanceof Error ? cause.message : String(cause)).slice(0, 300),
      });
    }
  }
  return { waiting, ...(repaired.length > 0 ? { repaired } : {}) };
}
