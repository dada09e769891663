import { clockNowMs } from "../../../core/clock/now.ts";
import { pathOf } from "../../../core/http/http-client.ts";
import type { DoctorEvidence, DoctorWrite } from "../../ports/doctor.ts";
import type { ProductionApi } from "../api.ts";
import { isObject, listOf, pick, type Raw, text } from "../tolerant.ts";
import { evidenceOf, ok, type ProbeAnswer, type ProbeRequest, recordingCaller } from "./probe-call.ts";
import type { Observation } from "./read-probes.ts";

/**
 * `scheduledCallbackRoutes` (issue 90 §3): whether the tenant serves the scheduled-callback
 * routes the adapter uses (scheduled-callbacks.ts; no public document shows them, two clients
 * nobody here wrote do). On the scratch skill: its callbacks listed, one scheduled a year ahead
 * to a 555-01XX number (fictitious by NANPA's rules, never dialled), listed again to find it, and
 * deleted in a `finally` — by the id the POST answered, else by the one the listing shows for the
 * number, so a POST that fails half way is still cleaned up. `absent` when the listing answers
 * 404 (nothing is written then); `served` when all four routes do what the adapter expects.
 */
const ID = "scheduledCallbackRoutes";
const NUMBER = "2125550193";
const KEYS = ["callbacks", "scheduledCallbacks"];

const callbacksOf = (answer: ProbeAnswer): Raw[] => {
  const body = isObject(answer.body) ? answer.body : {};
  for (const key of KEYS) {
    const found = listOf(body, key);
    if (found.length > 0) return found;
  }
  return [];
};
const idOf = (raw: Raw) => text(pick(raw, "callbackId", "scheduledCallbackId", "id"));
const numberOf = (raw: Raw) =>
  (text(pick(raw, "dialNumber", "phoneNumber", "formattedPhone")) ?? "").replace(/\D/g, "").slice(-10);

export async function probeScheduledCallbacks(
  api: ProductionApi,
  skillId: string,
  signal?: AbortSignal,
): Promise<{ facts: Observation[]; writes: DoctorWrite[] }> {
  const { call, writes } = recordingCaller(api, signal);
  const list = (): ProbeRequest => ({
    method: "GET",
    path: pathOf`/skills/${skillId}/scheduled-callbacks`,
    endpoint: "GET /skills/{skillId}/scheduled-callbacks",
    group: "campaigns",
  });
  const before = await call(list(), false);
  if (before.status === 404)
    return { facts: [{ id: ID, observed: "absent", evidence: [evidenceOf(before)] }], writes };
  if (!ok(before))
    return {
      facts: [
        {
          id: ID,
          observed: null,
          evidence: [evidenceOf(before)],
          note: `the scratch skill's callbacks could not be listed (${before.status})`,
        },
      ],
      writes,
    };
  const earlier = new Set(callbacksOf(before).flatMap((c) => idOf(c) ?? []));
  let created: ProbeAnswer | undefined;
  let after: ProbeAnswer | undefined;
  let removed: ProbeAnswer | undefined;
  let callbackId: string | undefined;
  try {
    created = await call(
      {
        method: "POST",
        path: "/scheduled-callbacks",
        endpoint: "POST /scheduled-callbacks",
        group: "campaigns",
        body: {
          phoneNumber: NUMBER,
          skillId: Number(skillId),
          scheduleDate: new Date(clockNowMs() + 366 * 86_400_000).toISOString(),
          firstName: "cxo",
          lastName: "doctor",
          notes: "cxo doctor probe: a fictitious number, deleted again at once",
        },
      },
      true,
    );
    callbackId =
      ok(created) && isObject(created.body) ? text(pick(created.body, "callbackId", "id")) : undefined;
    after = await call(list(), false);
    // A POST that failed may still have made one: the listing's new callback to the number is it.
    callbackId ??= ok(after)
      ? callbacksOf(after)
          .filter((c) => numberOf(c) === NUMBER && !earlier.has(idOf(c) ?? ""))
          .map(idOf)[0]
      : undefined;
  } finally {
    if (callbackId !== undefined)
      removed = await call(
        {
          method: "DELETE",
          path: pathOf`/scheduled-callbacks/${callbackId}`,
          endpoint: "DELETE /scheduled-callbacks/{callbackId}",
          group: "campaigns",
          query: { description: "cxo doctor probe" },
        },
        true,
      );
    // Nothing made (refused, none listed) is nothing to put back.
    const restored = removed ? ok(removed) : created !== undefined && !ok(created);
    for (const write of writes) write.restored = restored;
  }
  if (!created || !after) throw new Error("unreachable: the callback probe's answers are read above");
  return { facts: [observe(before, created, after, removed, callbackId)], writes };
}

function observe(
  before: ProbeAnswer,
  created: ProbeAnswer,
  after: ProbeAnswer,
  removed: ProbeAnswer | undefined,
  callbackId: string | undefined,
): Observation {
  const listed = ok(after) && callbacksOf(after).some((c) => idOf(c) === callbackId);
  const evidence: DoctorEvidence[] = [
    evidenceOf(before, { callbacks: callbacksOf(before).length }),
    evidenceOf(created, ok(created) ? { callbackId: callbackId ?? null } : undefined),
    evidenceOf(after, ok(after) ? { listed } : undefined),
    ...(removed ? [evidenceOf(removed, ok(removed) ? null : undefined)] : []),
  ];
  const untold = (note: string): Observation => ({ id: ID, observed: null, evidence, note });
  if (!ok(created))
    return untold(
      `the listing is served, but scheduling a callback on the scratch skill was answered ${created.status}${callbackId ? " (one was made all the same, and deleted)" : ""}`,
    );
  if (callbackId === undefined)
    return untold(
      "a callback was scheduled, but its callbackId was neither answered nor listed: delete the 555-0193 callback on the scratch skill by hand",
    );
  if (!listed) return untold(`the callback scheduled (${callbackId}) is not in the scratch skill's listing`);
  if (!removed || !ok(removed))
    return untold(
      `the callback scheduled (${callbackId}) could not be deleted (${removed?.status}): delete it by hand`,
    );
  return { id: ID, observed: "served", evidence };
}
