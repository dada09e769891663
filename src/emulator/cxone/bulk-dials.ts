import type { CallingList, ListAttempt } from "./data/model.ts";

/**
 * A list's bulk dials (admin `POST /_emulator/lists/:listId/bulk-dials`, issue 100 §4): `count`
 * unanswered dials made before the emulator's own, one every `stepMs` from `fromMs`, each to a
 * number of its own, generated from its index when a page of the attempts listing asks for it —
 * a list of a million dials costs a few numbers, not a million objects. They stand for a big
 * list's history (what a tenant's busy list accumulates over days); the emulator's dialer knows
 * nothing of them (they are not the ground truth `GET /_emulator/lists/:listId/dials` answers).
 */
export interface BulkDials {
  count: number;
  fromMs: number;
  stepMs: number;
  /** The first dial's contact id (the next ones follow). */
  firstContactId: number;
}

/** Where a list's bulk dials are kept (beside its dialer's state, without widening the model). */
const bulk = new WeakMap<CallingList, BulkDials>();

export function setBulkDials(list: CallingList, dials: BulkDials): void {
  bulk.set(list, dials);
}

export function bulkDialsOf(list: CallingList): BulkDials | undefined {
  return bulk.get(list);
}

/** The index of the first bulk dial made at or after `sinceMs`. */
export function firstBulkDialAtOrAfter(dials: BulkDials, sinceMs: number): number {
  if (!(sinceMs > dials.fromMs)) return 0;
  return Math.min(dials.count, Math.ceil((sinceMs - dials.fromMs) / dials.stepMs));
}

/** Bulk dial `i`, as the attempts listing answers it. */
export function bulkDial(dials: BulkDials, i: number): ListAttempt {
  // Numbers of a reserved-looking exchange (555-01xx is fictional in NANP; here 212-555-XXXX
  // spread over 10,000 lines and a few area codes), so no dial is to a list's own record.
  const area = ["212", "312", "415", "713", "305"][i % 5] as string;
  const line = String(Math.floor(i / 5) % 10_000).padStart(4, "0");
  return {
    contactId: dials.firstContactId + i,
    externalId: `BULK${i}`,
    formattedPhone: `${area}555${line}`,
    dateOfCall: new Date(dials.fromMs + i * dials.stepMs).toISOString(),
    lastDuration: "00:00:00",
    systemClass: 2,
    systemClassName: "No Answer",
    agentDisp: null,
    agentDispDesc: null,
    agentId: null,
    callRequestDate: null,
    timeZone: "Eastern",
    deliveredAsCallback: false,
    confirmReq: false,
  };
}
