import { pathOf } from "../../../core/http/http-client.ts";
import { isSkillId } from "../../../core/ids.ts";
import { InputError } from "../../../core/input-error.ts";
import type {
  DoctorEvidence,
  DoctorRunParams,
  DoctorWrite,
  ScratchResult,
  ScratchSnapshot,
} from "../../ports/doctor.ts";
import type { ProductionApi } from "../api.ts";
import { BLOCK_KEYS, putValue, readParameterBlocks, snapshotOf } from "../parameter-blocks.ts";
import { bool, isObject, num, type Raw, singleOf } from "../tolerant.ts";
import { probeScheduledCallbacks } from "./callback-probes.ts";
import { probeDncTypes } from "./dnc-type-probes.ts";
import { probeListTiming } from "./list-timing-probes.ts";
import { evidenceOf, ok, type ProbeAnswer, probeCall, requestLine } from "./probe-call.ts";
import type { Observation } from "./read-probes.ts";

/**
 * The write probes, on a scratch skill the user names: each writes general settings whole (as
 * the adapter does) with one thing changed, reads back, and everything is put back from the
 * snapshot in a `finally` — the caller's journal row holds that snapshot until the restore is
 * done, so a crash in between is restored on the next run (restoreScratch).
 */
const GENERAL = "general-settings";
/** The weekly schedule: snapshotted beside general settings, for the inactive-day probe. */
const SCHEDULE = "schedule-settings";
const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/** The field a merge/replace probe leaves out of its PUT: one a replace would visibly drop or reset. */
const LEFT_OUT = ["deliverCallbacksOnDNCHolidays", "releaseAgentsOnCompletion", "loadNonFresh"];

function field(rule: string): InputError {
  return new InputError({ field: "scratchSkillId", rule });
}

/** Checks the scratch skill may be written (outbound, stopped, no calling lists) and reads its snapshot. */
export async function scratchSnapshot(
  api: ProductionApi,
  params: DoctorRunParams,
  signal?: AbortSignal,
): Promise<ScratchSnapshot | undefined> {
  const skillId = params.scratchSkillId;
  if (skillId === undefined) return undefined;
  if (!isSkillId(skillId)) throw field(`must be a skill id (digits), got "${skillId}"`);
  const read = await probeCall(
    api,
    { method: "GET", path: pathOf`/skills/${skillId}`, endpoint: "GET /skills/{skillId}", group: "dialer" },
    signal,
  );
  if (read.status === 404 || read.status === 204 || (read.status === 400 && !ok(read)))
    throw field(`skill ${skillId} does not exist on this tenant`);
  if (!ok(read)) throw field(`skill ${skillId} could not be read (${read.status})`);
  const skill = singleOf(read.body, ["skills", "skill"], "GET /skills/{skillId}", read.status);
  if (bool(skill.isOutbound) === false)
    throw field(
      `skill ${skillId} is an inbound skill; a scratch skill must be an outbound Personal Connection skill`,
    );
  const running = bool(skill.isRunning) === true;
  if (running && !params.iKnow)
    throw field(
      `skill ${skillId} is running (it may be dialing); stop it first, or confirm with \`iKnow\` to probe it anyway`,
    );
  const parameters = await readParameterBlocks(api, skillId, "dialer", [GENERAL, SCHEDULE], signal);
  const lists = Array.isArray(parameters.combined.callingLists) ? parameters.combined.callingLists : [];
  if (lists.length > 0 && !params.iKnow)
    throw field(
      `skill ${skillId} has ${lists.length} calling list(s) attached, whose records it could dial; use a skill without lists, or confirm with \`iKnow\``,
    );
  const blocks = snapshotOf(parameters.fullest, [GENERAL, SCHEDULE]);
  if (!blocks.some(([segment]) => segment === GENERAL))
    throw field(`skill ${skillId} has no general settings to probe with (not a Personal Connection skill?)`);
  return { skillId, blocks, wasRunning: running };
}

/** A block of the snapshot, unwrapped (empty when the skill had none). */
function blockOf(snapshot: ScratchSnapshot, segment: string): Raw {
  const key = BLOCK_KEYS[segment] as string;
  const block = snapshot.blocks.find(([s]) => s === segment)?.[1];
  return isObject(block) && isObject(block[key]) ? { ...block[key] } : {};
}

const generalOf = (snapshot: ScratchSnapshot): Raw => blockOf(snapshot, GENERAL);

class ScratchWriter {
  readonly writes: DoctorWrite[] = [];
  private readonly api: ProductionApi;
  private readonly skillId: string;
  private readonly signal: AbortSignal | undefined;
  constructor(api: ProductionApi, skillId: string, signal: AbortSignal | undefined) {
    this.api = api;
    this.skillId = skillId;
    this.signal = signal;
  }

  putGeneral(body: Raw, headers?: Record<string, string>): Promise<ProbeAnswer> {
    return this.putBlock(GENERAL, body, headers);
  }

  readGeneral(): Promise<{ answer: ProbeAnswer; block: Raw }> {
    return this.readBlock(GENERAL);
  }

  async putBlock(segment: string, body: Raw, headers?: Record<string, string>): Promise<ProbeAnswer> {
    const answer = await probeCall(
      this.api,
      {
        ...this.blockRequest("PUT", segment),
        body: { [BLOCK_KEYS[segment] as string]: body },
        ...(headers ? { headers } : {}),
      },
      this.signal,
    );
    this.writes.push({ request: requestLine(answer.request), status: answer.status, restored: false });
    return answer;
  }

  async readBlock(segment: string): Promise<{ answer: ProbeAnswer; block: Raw }> {
    const answer = await probeCall(this.api, this.blockRequest("GET", segment), this.signal);
    const key = BLOCK_KEYS[segment] as string;
    const body = isObject(answer.body) ? answer.body : {};
    const block = isObject(body[key]) ? body[key] : body;
    return { answer, block };
  }

  /** A request of one of the skill's parameter blocks (`segment`). */
  private blockRequest(method: "GET" | "PUT", segment: string) {
    return {
      method,
      path: pathOf`/skills/${this.skillId}/parameters/${segment}`,
      endpoint: `${method} /skills/{skillId}/parameters/${segment}`,
      group: "dialer" as const,
    };
  }

  async action(action: "start" | "stop"): Promise<ProbeAnswer> {
    const answer = await probeCall(
      this.api,
      {
        method: "POST",
        path: pathOf`/skills/${this.skillId}/${action}`,
        endpoint: `POST /skills/{skillId}/${action}`,
        group: "campaigns",
      },
      this.signal,
    );
    this.writes.push({ request: requestLine(answer.request), status: answer.status, restored: false });
    return answer;
  }
}

const seen = (id: string, observed: unknown, evidence: DoctorEvidence[], note?: string): Observation => ({
  id,
  observed: observed ?? null,
  evidence,
  ...(note ? { note } : {}),
});

/** The probes themselves; whatever happens, the snapshot is written back before this returns. */
export async function probeScratch(
  api: ProductionApi,
  snapshot: ScratchSnapshot,
  signal?: AbortSignal,
): Promise<ScratchResult> {
  const w = new ScratchWriter(api, snapshot.skillId, signal);
  const general = generalOf(snapshot);
  const facts: Observation[] = [];
  const listWrites: DoctorWrite[] = [];
  let started = false;
  try {
    // 0. Issue 75 §4: the block as read, its JSON labelled text/plain (as NICE's agent SDK sends
    // its bodies): read (any) or refused (json). Whatever the answer, the snapshot goes back.
    const plain = await w.putGeneral(general, { "content-type": "text/plain;charset=UTF-8" });
    facts.push(
      seen(
        "jsonBodyLabel",
        ok(plain) ? "any" : [400, 415].includes(plain.status) ? "json" : null,
        [evidenceOf(plain, ok(plain) ? null : undefined)],
        ok(plain) || [400, 415].includes(plain.status) ? undefined : `answered ${plain.status}`,
      ),
    );
    // 1. The GET's types in a PUT: refused by a strict tenant.
    const asRead = Number(general.aggressiveness);
    if (Number.isFinite(asRead)) {
      const answer = await w.putGeneral({ ...general, aggressiveness: asRead });
      facts.push(
        seen("parameterTypes", ok(answer) ? "lenient" : answer.status === 400 ? "strict" : null, [
          evidenceOf(answer, ok(answer) ? null : undefined),
        ]),
      );
    }
    // 2. abandonRateThreshold 2: two percent, or (as a fraction) 200 %, which is refused.
    const rate = await w.putGeneral({ ...general, abandonRateThreshold: 2, abandonRateCutoff: 3 });
    if (ok(rate)) {
      const { answer, block } = await w.readGeneral();
      const back = num(block.abandonRateThreshold);
      facts.push(
        seen(
          "abandonRateUnit",
          back === 2 ? "percent" : null,
          [evidenceOf(rate, null), evidenceOf(answer, { abandonRateThreshold: back ?? null })],
          back === 2 ? undefined : `wrote 2, reads ${back}`,
        ),
      );
    } else facts.push(seen("abandonRateUnit", rate.status === 400 ? "fraction" : null, [evidenceOf(rate)]));
    // 3. maximumRatio 2: two lines per agent, or (as a percentage) 2 %, below any range.
    const ratio = await w.putGeneral({ ...general, maximumRatio: 2 });
    if (ok(ratio)) {
      const { answer, block } = await w.readGeneral();
      const back = num(block.maximumRatio);
      facts.push(
        seen("maximumRatioUnit", back === 2 ? "ratio" : back === 200 ? "percent" : null, [
          evidenceOf(ratio, null),
          evidenceOf(answer, { maximumRatio: back ?? null }),
        ]),
      );
    } else facts.push(seen("maximumRatioUnit", ratio.status === 400 ? "percent" : null, [evidenceOf(ratio)]));
    // 4. Merge or replace: one field changed, one left out; does the one left out survive?
    const put = await probeParameterPut(w, general);
    if (put) facts.push(put);
    // 4b. A weekly schedule with a day off: taken, or refused (the schedule is put back below).
    facts.push(await probeInactiveDay(w, blockOf(snapshot, SCHEDULE)));
    // 5. Issue 76 §3: how a pushed list is timed (a scratch list, deleted again).
    const timing = await probeListTiming(api, snapshot.skillId, signal);
    facts.push(...timing.facts);
    listWrites.push(...timing.writes);
    // 5b. The value types a DNC record takes (a scratch DNC group; its records removed again).
    const dnc = await probeDncTypes(api, signal);
    facts.push(...dnc.facts);
    listWrites.push(...dnc.writes);
    // 5c. Issue 90 §3: the scheduled-callback routes (one callback a year ahead, deleted again).
    const callbacks = await probeScheduledCallbacks(api, snapshot.skillId, signal);
    facts.push(...callbacks.facts);
    listWrites.push(...callbacks.writes);
    // 6. Start, start again, stop: their statuses (only on a skill that was not running).
    if (snapshot.wasRunning) {
      const note = "the scratch skill was running: start and stop were not probed (it is left running)";
      facts.push(seen("startStopStatus", null, [], note), seen("startWhenRunning", null, [], note));
    } else {
      const start = await w.action("start");
      started = ok(start);
      const again = started ? await w.action("start") : undefined;
      const stop = started ? await w.action("stop") : undefined;
      if (stop && ok(stop)) started = false;
      const status = [200, 202].includes(start.status) ? start.status : null;
      const refusal = ok(start)
        ? undefined
        : `start was refused (${start.status}${start.description ? `: ${start.description}` : ""}); an inactive skill cannot be started`;
      facts.push(
        seen(
          "startStopStatus",
          status,
          [evidenceOf(start, ok(start) ? null : undefined), ...(stop ? [evidenceOf(stop, null)] : [])],
          refusal,
        ),
      );
      if (!again) facts.push(seen("startWhenRunning", null, [], refusal ?? "not started"));
      if (again)
        facts.push(
          seen("startWhenRunning", ok(again) ? "noop" : [400, 409].includes(again.status) ? "reject" : null, [
            evidenceOf(again, ok(again) ? null : undefined),
          ]),
        );
    }
  } finally {
    const restore = await restoreWith(w, snapshot, started);
    for (const write of w.writes) write.restored = restore;
  }
  return { facts: facts as ScratchResult["facts"], writes: [...w.writes, ...listWrites] };
}

/** A PUT of the block with one field changed and one left out: is the one left out kept (merge) or lost (replace)? */
async function probeParameterPut(w: ScratchWriter, general: Raw): Promise<Observation | undefined> {
  const leftOut = LEFT_OUT.find((f) => f in general);
  if (!leftOut) return undefined;
  const ring = num(general.maximumRingingDuration) ?? 30;
  const partial: Raw = { ...general, maximumRingingDuration: ring >= 120 ? ring - 1 : ring + 1 };
  delete partial[leftOut];
  const answer = await w.putGeneral(partial);
  const read = await w.readGeneral();
  const kept = leftOut in read.block && putValue(leftOut, read.block[leftOut]) === general[leftOut];
  return seen(
    "parameterPut",
    ok(answer) ? (kept ? "merge" : "replace") : null,
    [
      evidenceOf(answer, ok(answer) ? { leftOut } : undefined),
      evidenceOf(read.answer, { [leftOut]: read.block[leftOut] ?? null }),
    ],
    ok(answer)
      ? undefined
      : `a PUT without ${leftOut} was refused (${answer.status}): the tenant wants the whole block, which the adapter sends`,
  );
}

/**
 * `scheduleInactiveDays`: the schedule as read with one open day closed. A live client found any
 * inactive day refused (outboundani/cxone-mcp `src/tools.js`); `campaigns create` writes calling
 * days by this fact (setting `inactiveScheduleDays`), so it is asked, not assumed.
 */
async function probeInactiveDay(w: ScratchWriter, schedule: Raw): Promise<Observation> {
  const day = DAYS.find((d) => putValue(`${d}IsActive`, schedule[`${d}IsActive`]) === true);
  if (!day)
    return seen(
      "scheduleInactiveDays",
      null,
      [],
      "the scratch skill's weekly schedule has no open day to close",
    );
  const field = `${day}IsActive`;
  const answer = await w.putBlock(SCHEDULE, { ...schedule, [field]: false });
  if (!ok(answer))
    return seen(
      "scheduleInactiveDays",
      answer.status === 400 ? "reject" : null,
      [evidenceOf(answer)],
      answer.status === 400 ? undefined : `a schedule with ${day} off answered ${answer.status}`,
    );
  const read = await w.readBlock(SCHEDULE);
  const closed = putValue(field, read.block[field]) === false;
  return seen(
    "scheduleInactiveDays",
    closed ? "accept" : null,
    [evidenceOf(answer, { [field]: false }), evidenceOf(read.answer, { [field]: read.block[field] ?? null })],
    closed ? undefined : `a schedule with ${day} off was answered ${answer.status}, yet ${day} reads open`,
  );
}

/**
 * Writes the snapshot back, block by block (and stops the skill if a probe left it running); true
 * when every block reads back as before. A block refused but reading as before counts as put
 * back: a tenant that refuses an inactive day refuses a snapshot holding one (made in its UI),
 * and the probe that would have changed it was refused too.
 */
async function restoreWith(w: ScratchWriter, snapshot: ScratchSnapshot, running: boolean): Promise<boolean> {
  let same = true;
  for (const [segment] of snapshot.blocks) {
    const wanted = blockOf(snapshot, segment);
    await w.putBlock(segment, wanted);
    const { answer, block } = await w.readBlock(segment);
    if (!ok(answer) || !Object.entries(wanted).every(([key, value]) => putValue(key, block[key]) === value))
      same = false;
  }
  let stopped = true;
  if (running && !snapshot.wasRunning) stopped = ok(await w.action("stop"));
  return same && stopped;
}

/** The re-drive after a crash: the snapshot written back, the skill stopped unless it was running. */
export async function restoreScratch(
  api: ProductionApi,
  snapshot: ScratchSnapshot,
  signal?: AbortSignal,
): Promise<DoctorWrite[]> {
  const w = new ScratchWriter(api, snapshot.skillId, signal);
  const skill = await probeCall(
    api,
    {
      method: "GET",
      path: pathOf`/skills/${snapshot.skillId}`,
      endpoint: "GET /skills/{skillId}",
      group: "dialer",
    },
    signal,
  );
  const body = ok(skill)
    ? singleOf(skill.body, ["skills", "skill"], "GET /skills/{skillId}", skill.status)
    : {};
  const restored = await restoreWith(w, snapshot, bool(body.isRunning) === true);
  for (const write of w.writes) write.restored = restored;
  if (!restored)
    throw new Error(
      `the scratch skill ${snapshot.skillId}'s parameters did not read back as before the probe; put them back by hand: ${JSON.stringify(Object.fromEntries(snapshot.blocks))}`,
    );
  return w.writes;
}
