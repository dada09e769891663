import { clockNowMs } from "../../../core/clock/now.ts";
import { pathOf } from "../../../core/http/http-client.ts";
import type { DoctorEvidence, DoctorWrite } from "../../ports/doctor.ts";
import type { ProductionApi } from "../api.ts";
import { bool, isObject, listOf, num, type Raw, text } from "../tolerant.ts";
import {
  evidenceOf,
  ok,
  type ProbeAnswer,
  type ProbeRequest,
  type RecordingCall,
  recordingCaller,
} from "./probe-call.ts";
import type { Observation } from "./read-probes.ts";
/**
 * `requestTypes`: which value types a DNC record POST takes. The independent clients send a
 * record's `phoneNumber` as a JSON number (the generated client's type; a client run against live
 * tenants, outboundani/cxone-mcp `src/tools.js`) and a date-only expiry (the same client's
 * upload); cxo sends ten digits of text and an ISO instant with an offset. Three records go to a
 * scratch DNC group — cxo's form, the number as a JSON number, a date-only `expiredDate` — and
 * are removed again in a `finally`.
 *
 * The scratch group: CXone has no route that deletes a DNC group, so doctor keeps one, named
 * below, inactive and scrubbing no skill (an inactive group is applied to no dial), made on the
 * first run and found by name on the next. A group of that name that is active is not used: a
 * number in it would be scrubbed from real dials. The numbers are 555-01XX (fictitious by NANPA's
 * rules).
 */
export const SCRATCH_DNC_GROUP = "cxo doctor scratch";
const ID = "requestTypes";
const NUMBERS = ["2125550190", "2125550191", "2125550192"] as const;
const PAGES = 20;

export async function probeDncTypes(
  api: ProductionApi,
  signal?: AbortSignal,
): Promise<{ facts: Observation[]; writes: DoctorWrite[] }> {
  const { call, writes } = recordingCaller(api, signal);
  const group = await scratchGroup(call);
  if (typeof group === "string")
    return { facts: [{ id: ID, observed: null, evidence: [], note: group }], writes };
  const records = (record: Raw): ProbeRequest => ({
    method: "POST",
    path: pathOf`/dnc-groups/${group.id}/records`,
    endpoint: "POST /dnc-groups/{groupId}/records",
    group: "campaigns",
    body: { dncGroupRecords: [record] },
  });
  const yearAhead = new Date(clockNowMs() + 366 * 86_400_000);
  try {
    const own = await call(records({ phoneNumber: NUMBERS[0], expiredDate: yearAhead.toISOString() }), true);
    const asNumber = await call(records({ phoneNumber: Number(NUMBERS[1]) }), true);
    const dateOnly = await call(
      records({ phoneNumber: NUMBERS[2], expiredDate: yearAhead.toISOString().slice(0, 10) }),
      true,
    );
    return { facts: [observe(group.evidence, own, asNumber, dateOnly)], writes };
  } finally {
    const removed = await call(
      {
        method: "DELETE",
        path: pathOf`/dnc-groups/${group.id}/records`,
        endpoint: "DELETE /dnc-groups/{groupId}/records",
        group: "campaigns",
        body: { dncGroupRecords: NUMBERS.map((phoneNumber) => ({ phoneNumber })) },
      },
      true,
    );
    // A record refused was never added: "not found" on its removal is the group as before.
    for (const write of writes) write.restored = ok(removed);
  }
}

/** A records answer took the record: a 2xx whose `errorCount` (top or in `resultSet`, number or text) is 0. */
function taken(answer: ProbeAnswer): boolean {
  if (!ok(answer)) return false;
  const body = isObject(answer.body) ? answer.body : {};
  const set = isObject(body.resultSet) ? body.resultSet : body;
  const errors = num(set.errorCount) ?? 0;
  const refusedItem = listOf(set, "recordResults").some(
    (r) => bool(r.success) === false || (r.error !== null && r.error !== undefined && r.error !== ""),
  );
  return errors === 0 && !refusedItem;
}

function observe(
  groupEvidence: DoctorEvidence[],
  own: ProbeAnswer,
  asNumber: ProbeAnswer,
  dateOnly: ProbeAnswer,
): Observation {
  const shown = (answer: ProbeAnswer, sent: string) =>
    evidenceOf(answer, { sent, taken: taken(answer), ...(ok(answer) ? {} : { body: answer.body ?? null }) });
  const evidence = [
    ...groupEvidence,
    shown(own, "phoneNumber as ten digits of text, expiredDate an ISO instant with offset (what cxo sends)"),
    shown(asNumber, "phoneNumber as a JSON number"),
    shown(dateOnly, "expiredDate as a date alone (YYYY-MM-DD)"),
  ];
  if (!taken(own))
    return {
      id: ID,
      observed: null,
      evidence,
      note: "the scratch group refused the form cxo sends (ten digits of text, an ISO expiry): revocations written to CXone's DNC group will be refused on this tenant",
    };
  const number = taken(asNumber);
  const date = taken(dateOnly);
  if (number === date) return { id: ID, observed: number ? "lenient" : "strict", evidence };
  return {
    id: ID,
    observed: null,
    evidence,
    note: `the tenant took ${number ? "a JSON-number phoneNumber" : "a date-only expiry"} but refused ${number ? "a date-only expiry" : "a JSON-number phoneNumber"}; the emulator's requestTypes reads both one way`,
  };
}

/** Finds the scratch group by name (paging the listing), or makes it, inactive; a string says why not. */
async function scratchGroup(
  call: RecordingCall,
): Promise<{ id: string; evidence: DoctorEvidence[] } | string> {
  const top = 100;
  for (let page = 0; page < PAGES; page++) {
    const listing = await call(
      {
        method: "GET",
        path: "/dnc-groups",
        endpoint: "GET /dnc-groups",
        group: "campaigns",
        query: { top, skip: page * top },
      },
      false,
    );
    if (listing.status === 204) break;
    if (!ok(listing)) return `the DNC groups could not be listed (${listing.status})`;
    const body = isObject(listing.body) ? listing.body : {};
    const groups = listOf(isObject(body.resultSet) ? body.resultSet : body, "dncGroups");
    const mine = groups.find((g) => text(g.dncGroupName) === SCRATCH_DNC_GROUP);
    if (mine) {
      const id = text(mine.dncGroupId);
      if (!id) return `the DNC group "${SCRATCH_DNC_GROUP}" has no dncGroupId`;
      if (bool(mine.isActive) !== false)
        return `the DNC group "${SCRATCH_DNC_GROUP}" is active (a number added to it would be scrubbed from real dials): make it inactive in CXone, or rename it, and run doctor again`;
      return { id, evidence: [evidenceOf(listing, { scratchGroup: id, isActive: false })] };
    }
    if (groups.length < top) break;
  }
  const created = await call(
    {
      method: "POST",
      path: "/dnc-groups",
      endpoint: "POST /dnc-groups",
      group: "campaigns",
      body: {
        dncGroupName: SCRATCH_DNC_GROUP,
        dncGroupDescription: "made by cxo doctor for its write probes; kept inactive, scrubs no skill",
      },
    },
    true,
  );
  const body = isObject(created.body) ? created.body : {};
  const id = text(listOf(isObject(body.resultSet) ? body.resultSet : body, "dncGroups")[0]?.dncGroupId);
  if (!ok(created) || !id) return `the scratch DNC group could not be made (${created.status})`;
  const off = await call(
    {
      method: "PUT",
      path: pathOf`/dnc-groups/${id}`,
      endpoint: "PUT /dnc-groups/{groupId}",
      group: "campaigns",
      query: { isActive: false },
    },
    true,
  );
  if (!ok(off))
    return `the scratch DNC group ${id} could not be made inactive (${off.status}): deactivate it in CXone`;
  return { id, evidence: [evidenceOf(created, { scratchGroup: id }), evidenceOf(off, { isActive: false })] };
}
