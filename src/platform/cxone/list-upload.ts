import { CxoneError } from "../../core/http/errors.ts";
import { pathOf } from "../../core/http/http-client.ts";
import { listIn } from "./answer-shapes.ts";
import type { ProductionApi } from "./api.ts";
import { bool, isObject, listOf, num, type Raw, text } from "./tolerant.ts";

/**
 * Calling-list uploads, the one place they are made: `POST /lists/call-lists/{id}/upload` (a
 * base64 CSV, `expirationDate` required — conformance §3, GEN) answers a job id, and the job is
 * polled (`GET /lists/call-lists/jobs/{jobId}` → `uploadJobs[]`) until it completes. Used to bind
 * a list to a new skill (campaign-create.ts) and to hand a plan to the dialer (plan-push.ts).
 * An upload is not idempotent (a second one adds the records again): a caller that may run twice
 * looks for the list's earlier job first (`findUploadJob`).
 */
export interface ListUpload {
  /** The file: its text, or its bytes (UTF-8). */
  csv: string | Uint8Array;
  fileName: string;
  skillId?: string;
  /** CXone's zone name ("Eastern Standard Time"), never an IANA name (conformance §6). */
  defaultTimeZone?: string;
  expirationDate: string;
  forceOverwrite?: boolean;
  startSkill?: boolean;
}

const s = (signal?: AbortSignal) => (signal ? { signal } : {});

/** Starts an upload job; answers its id. */
export async function startListUpload(
  api: ProductionApi,
  listId: string,
  upload: ListUpload,
  signal?: AbortSignal,
): Promise<string> {
  const answer = await api.request({
    method: "POST",
    path: pathOf`/lists/call-lists/${listId}/upload`,
    endpoint: "POST /lists/call-lists/{listId}/upload",
    group: "campaigns",
    body: {
      listFile: (typeof upload.csv === "string"
        ? Buffer.from(upload.csv)
        : Buffer.from(upload.csv.buffer, upload.csv.byteOffset, upload.csv.byteLength)
      ).toString("base64"),
      fileName: upload.fileName,
      ...(upload.skillId !== undefined ? { skillId: num(upload.skillId) ?? upload.skillId } : {}),
      ...(upload.defaultTimeZone !== undefined ? { defaultTimeZone: upload.defaultTimeZone } : {}),
      expirationDate: upload.expirationDate,
      forceOverwrite: upload.forceOverwrite ?? false,
      startSkill: upload.startSkill ?? false,
      sendEmail: false,
    },
    ...s(signal),
  });
  const jobId = text((answer.body as { jobId?: unknown } | undefined)?.jobId);
  if (!jobId) throw new CxoneError("POST /lists/call-lists/{listId}/upload: no jobId in the answer");
  return jobId;
}

/** Polls an upload job until it completes (backing off to 2 s between polls, 60 polls at most). */
export async function waitForListUpload(
  api: ProductionApi,
  jobId: string,
  signal?: AbortSignal,
): Promise<void> {
  for (let poll = 0, delay = 100; poll < 60; poll += 1, delay = Math.min(delay * 2, 2000)) {
    const job = await api.request({
      method: "GET",
      path: pathOf`/lists/call-lists/jobs/${jobId}`,
      endpoint: "GET /lists/call-lists/jobs/{jobId}",
      group: "campaigns",
      ...s(signal),
    });
    const state = listOf(job.body, "uploadJobs")[0] ?? (isObject(job.body) ? job.body : {});
    if (bool(state.isCancelled) === true) {
      // A list CXone rejects whole (e.g. over the timed-call-request cap) ends cancelled; its
      // words, where the job carries them, say why.
      const why = text(state.errorMessage) ?? text(state.statusDescription);
      throw new CxoneError(`call-list upload job ${jobId} was cancelled${why ? `: ${why}` : ""}`);
    }
    if (bool(state.isComplete) === true) return;
    await api.sleep(delay, signal);
  }
  throw new CxoneError(`call-list upload job ${jobId} did not complete in time`);
}

/** Uploads and waits for the job: the records are in the list when this resolves. */
export async function uploadListRecords(
  api: ProductionApi,
  listId: string,
  upload: ListUpload,
  signal?: AbortSignal,
): Promise<string> {
  const jobId = await startListUpload(api, listId, upload, signal);
  await waitForListUpload(api, jobId, signal);
  return jobId;
}

/**
 * The newest upload job of a list not cancelled (`GET /lists/call-lists/jobs`, GEN) and not
 * among `known` (the jobs of a push's earlier batches), or undefined: an upload that was sent
 * before a crash or a lost answer is found here, not sent again.
 */
export async function findUploadJob(
  api: ProductionApi,
  listId: string,
  signal?: AbortSignal,
  known: readonly string[] = [],
): Promise<string | undefined> {
  const answer = await api.request({
    method: "GET",
    path: "/lists/call-lists/jobs",
    endpoint: "GET /lists/call-lists/jobs",
    group: "campaigns",
    ...s(signal),
  });
  // Strict: a jobs answer cxo cannot read is not "no earlier job" — that would upload the list
  // a second time and have every number dialled twice (a push re-run adopting a lost upload).
  const jobs: Raw[] = listIn(answer, "GET /lists/call-lists/jobs", ["uploadJobs"]).items.filter(
    (job) => text(job.listId) === listId && bool(job.isCancelled) !== true,
  );
  return jobs
    .map((job) => text(job.jobId))
    .filter((id): id is string => id !== undefined && !known.includes(id))
    .at(-1);
}
