import type { Clock } from "../../../core/clock/clock.ts";
import { clockNowMs } from "../../../core/clock/now.ts";
import { pathOf } from "../../../core/http/http-client.ts";
import { waitFor } from "../../../core/waiter.ts";
import type { DoctorEvidence, DoctorWrite } from "../../ports/doctor.ts";
import type { ProductionApi } from "../api.ts";
import { acceptUploadJob, LIST_UPLOAD_WAIT, uploadJobState } from "../list-upload.ts";
import { DEFAULT_TIME_RANGE_COLUMNS } from "../plan-push.ts";
import { bool, isObject, listOf, num, pick, type Raw, text } from "../tolerant.ts";
import { evidenceOf, ok, type ProbeAnswer, type RecordingCall, recordingCaller } from "./probe-call.ts";
import type { Observation } from "./read-probes.ts";

/**
 * Issue 76 §3's write probes, on the scratch skill (stopped, no lists: scratch-probes.ts checks):
 * what the public record leaves open about how a pushed list is timed. One scratch list is made,
 * two uploads sent to it, and the list deleted in a `finally`:
 * - `recordTimeRangeColumns`: an ordinary record with its allowable time range in the custom
 *   fields push writes (`AllowedStart`/`AllowedEnd`, `HH:mm`): read back from the download, the
 *   fields and values as sent say the tenant keeps them under those names;
 * - `callbackCap`: 1,051 records with call-request times in one 15-minute period a year ahead —
 *   over CXone's documented 50 + 100 per agent logged in for up to ten agents: an upload that
 *   ends cancelled with nothing loaded is the cap enforced by rejecting it whole; all loaded, no
 *   cap on upload.
 * The numbers are 555-01XX (fictitious by NANPA's rules), the skill is stopped, and a year ahead
 * nothing is due: no probe record can be dialled.
 */
const COLUMNS = "ExternalId,PhoneNumber,CallRequestTime,CallRequestStale,TimeZone,ExpirationDate";
const CALLBACKS = 1051;

export async function probeListTiming(
  api: ProductionApi,
  skillId: string,
  signal?: AbortSignal,
): Promise<{ facts: Observation[]; writes: DoctorWrite[] }> {
  const { call, writes } = recordingCaller(api, signal);
  const wait: JobWait = { clock: api.clock(), signal };
  const created = await call(
    {
      method: "POST",
      path: "/lists/call-lists",
      endpoint: "POST /lists/call-lists",
      group: "campaigns",
      query: {
        listName: `cxo doctor scratch ${skillId} ${clockNowMs()}`,
        externalIdColumn: "ExternalId",
        callRequestTimeColumn: "CallRequestTime",
        callRequestStaleColumn: "CallRequestStale",
        timeZoneColumn: "TimeZone",
        expirationDateColumn: "ExpirationDate",
      },
      body: { destinationMappings: [{ fieldName: "PhoneNumber", fieldValue: "PhoneNumber" }] },
    },
    true,
  );
  const listId = text(isObject(created.body) ? created.body.listId : undefined);
  if (!ok(created) || !listId) {
    const why = `the scratch list could not be created (${created.status})`;
    return {
      facts: [untold("recordTimeRangeColumns", why, created), untold("callbackCap", why, created)],
      writes,
    };
  }
  try {
    const day = new Date(clockNowMs() + 366 * 86_400_000).toISOString().slice(0, 10);
    return {
      facts: [
        await probeRange({ call, wait, listId, skillId, day }),
        await probeCap({ call, wait, listId, skillId, day }),
      ],
      writes,
    };
  } finally {
    const deleted = await call(
      {
        method: "DELETE",
        path: pathOf`/lists/call-lists/${listId}`,
        endpoint: "DELETE /lists/call-lists/{listId}",
        group: "campaigns",
        query: { forceInactive: true, deleteFile: true },
      },
      true,
    );
    for (const write of writes) write.restored = ok(deleted);
  }
}

/** What each of the list's probes works on: the scratch list of the scratch skill, on `day`. */
interface ListProbe {
  call: RecordingCall;
  wait: JobWait;
  listId: string;
  skillId: string;
  day: string;
}

/** `recordTimeRangeColumns`: one ordinary record with its range in push's custom fields, read back. */
async function probeRange({ call, wait, listId, skillId, day }: ListProbe): Promise<Observation> {
  const range = DEFAULT_TIME_RANGE_COLUMNS;
  const ordinary = `cxo-doctor-range,2125550100,,,Eastern Standard Time,${day}T23:00:00Z,09:00,10:00`;
  const sent = await upload(
    call,
    wait,
    listId,
    skillId,
    `${COLUMNS},${range.start},${range.end}\r\n${ordinary}`,
  );
  const download = await call(
    {
      method: "GET",
      path: pathOf`/lists/call-lists/${listId}`,
      endpoint: "GET /lists/call-lists/{listId}",
      group: "campaigns",
      query: { includeRecords: true },
    },
    false,
  );
  const set = isObject(download.body) && isObject(download.body.resultSet) ? download.body.resultSet : {};
  const record = listOf(set, "contactRecords").find(
    (r) => text(pick(r, "externalId", "ExternalId")) === "cxo-doctor-range",
  );
  const kept =
    record !== undefined &&
    fieldOf(record, range.start) === "09:00" &&
    fieldOf(record, range.end) === "10:00";
  return {
    id: "recordTimeRangeColumns",
    observed: kept ? { ...range } : null,
    evidence: [...sent.evidence, evidenceOf(download, { found: record !== undefined, kept })],
    ...(kept
      ? {}
      : {
          note: `the download does not show ${range.start}/${range.end} as sent: set the fact to the tenant's custom field names`,
        }),
  };
}

/** `callbackCap`: 1,051 callbacks in one 15-minute period: rejected whole, or loaded. */
async function probeCap({ call, wait, listId, skillId, day }: ListProbe): Promise<Observation> {
  const rows = Array.from({ length: CALLBACKS }, (_, i) => {
    const minute = String(i % 15).padStart(2, "0");
    return `cxo-doctor-cb-${i},21255501${String(i % 100).padStart(2, "0")},${day}T15:${minute}:00Z,10,Eastern Standard Time,${day}T23:00:00Z`;
  });
  const sent = await upload(call, wait, listId, skillId, `${COLUMNS}\r\n${rows.join("\r\n")}`);
  const after = await call(
    {
      method: "GET",
      path: pathOf`/lists/call-lists/${listId}`,
      endpoint: "GET /lists/call-lists/{listId}",
      group: "campaigns",
    },
    false,
  );
  const set = isObject(after.body) && isObject(after.body.resultSet) ? after.body.resultSet : {};
  const total = num(set.totalRecords);
  // The range probe's one record is in the list too.
  const loaded = total === undefined ? undefined : total - 1;
  const observed =
    sent.cancelled && loaded === 0 ? "enforced" : !sent.cancelled && loaded === CALLBACKS ? "off" : null;
  return {
    id: "callbackCap",
    observed,
    evidence: [...sent.evidence, evidenceOf(after, { loaded: loaded ?? null, cancelled: sent.cancelled })],
    ...(observed === null
      ? { note: `an upload of ${CALLBACKS} callbacks in one period: ${loaded ?? "?"} loaded` }
      : {}),
  };
}

/** A custom field as a download shows it: a key of its own, `customFields`, or `otherFields[]`. */
function fieldOf(record: Raw, name: string): string | undefined {
  const own = text(record[name]);
  if (own !== undefined) return own;
  if (isObject(record.customFields)) return text(record.customFields[name]);
  const other = listOf(record, "otherFields").find((f) => text(f.fieldName) === name);
  return text(other?.fieldValue);
}

/** What an upload job's wait runs on: the API's clock, and the run's signal. */
interface JobWait {
  clock: Clock;
  signal: AbortSignal | undefined;
}

/**
 * One upload to the scratch list, its job polled to its end on the one waiter (core/waiter.ts),
 * with the bound and pauses a push's wait has (LIST_UPLOAD_WAIT): the probe sees the job end as
 * a push would. A job still running at the bound is told as such (`completed: false`).
 */
async function upload(
  call: RecordingCall,
  wait: JobWait,
  listId: string,
  skillId: string,
  csv: string,
): Promise<{ cancelled: boolean; evidence: DoctorEvidence[] }> {
  const started = await call(
    {
      method: "POST",
      path: pathOf`/lists/call-lists/${listId}/upload`,
      endpoint: "POST /lists/call-lists/{listId}/upload",
      group: "campaigns",
      body: {
        listFile: Buffer.from(csv).toString("base64"),
        fileName: "cxo-doctor.csv",
        skillId: Number(skillId),
        expirationDate: new Date(clockNowMs() + 400 * 86_400_000).toISOString(),
        forceOverwrite: false,
        startSkill: false,
        sendEmail: false,
      },
    },
    true,
  );
  const evidence = [evidenceOf(started, null)];
  const jobId = text(isObject(started.body) ? started.body.jobId : undefined);
  if (!ok(started) || !jobId) return { cancelled: false, evidence };
  const request = {
    method: "GET",
    path: pathOf`/lists/call-lists/jobs/${jobId}`,
    endpoint: "GET /lists/call-lists/jobs/{jobId}",
    group: "campaigns",
  } as const;
  const result = await waitFor(
    async (pollSignal) => {
      const job = await call(request, false, pollSignal);
      return { job, state: uploadJobState(job.body) };
    },
    ({ state }) => acceptUploadJob(state),
    { ...LIST_UPLOAD_WAIT, clock: wait.clock, signal: wait.signal },
  );
  if (result.state === "aborted") throw wait.signal?.reason;
  const last = result.last;
  if (result.state === "timeout") {
    if (last)
      evidence.push(
        evidenceOf(last.job, { completed: false, polls: result.polls, waitedMs: result.elapsedMs }),
      );
    return { cancelled: false, evidence };
  }
  const { job, state } = last!;
  evidence.push(
    evidenceOf(job, {
      isCancelled: bool(state.isCancelled) ?? null,
      errorMessage: text(state.errorMessage) ?? null,
    }),
  );
  return { cancelled: result.state === "failure", evidence };
}

function untold(id: string, note: string, answer: ProbeAnswer): Observation {
  return { id, observed: null, evidence: [evidenceOf(answer)], note };
}
