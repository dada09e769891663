import { DeadlineExceededError } from "../../core/deadline-error.ts";
import { ValidationError } from "../../core/http/errors.ts";
import { pathOf } from "../../core/http/http-client.ts";
import { type Acceptor, waitFor } from "../../core/waiter.ts";
import { listIn } from "./answer-shapes.ts";
import type { ProductionApi } from "./api.ts";
import { bool, idOfAnswer, isObject, listOf, num, type Raw, text } from "./tolerant.ts";

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
  return idOfAnswer(answer, "jobId", "POST /lists/call-lists/{listId}/upload");
}

/**
 * How long an upload job is waited for: polls from 100 ms apart growing to 2 s (with jitter), for
 * 113 s in all — what 60 polls backing off from 100 ms to 2 s took before the wait was bounded
 * in time.
 */
export const LIST_UPLOAD_WAIT = { minDelayMs: 100, maxDelayMs: 2_000, maxWaitMs: 113_000 } as const;

/** An upload job's state in a job answer: `uploadJobs[0]`, or the answer itself when it is the job. */
export function uploadJobState(body: unknown): Raw {
  return listOf(body, "uploadJobs")[0] ?? (isObject(body) ? body : {});
}

/** An upload job is done well when complete, badly when cancelled; else it is polled again. */
export const acceptUploadJob: Acceptor<Raw> = (state) =>
  bool(state.isCancelled) === true ? "failure" : bool(state.isComplete) === true ? "success" : "retry";

/**
 * Polls an upload job until it completes (core/waiter.ts: jittered back-off, bounded in time,
 * stopped at once by `signal`). A job CXone cancelled is a ValidationError in its words; one not
 * complete when the bound passes, a DeadlineExceededError (the job may still complete: a run
 * again finds it, `findUploadJob`).
 */
export async function waitForListUpload(
  api: ProductionApi,
  jobId: string,
  signal?: AbortSignal,
  /** The random source of the jitter (tests). */
  options: { random?: () => number } = {},
): Promise<void> {
  const result = await waitFor(
    async (pollSignal) => {
      const job = await api.request({
        method: "GET",
        path: pathOf`/lists/call-lists/jobs/${jobId}`,
        endpoint: JOB_ENDPOINT,
        group: "campaigns",
        signal: pollSignal,
      });
      return { state: uploadJobState(job.body), job };
    },
    ({ state }) => acceptUploadJob(state),
    { ...LIST_UPLOAD_WAIT, signal, clock: api.clock(), ...options },
  );
  if (result.state === "success") return;
  if (result.state === "aborted") throw signal?.reason;
  if (result.state === "timeout")
    throw new DeadlineExceededError(LIST_UPLOAD_WAIT.maxWaitMs, {
      scope: "wait",
      message: `call-list upload job ${jobId} did not complete within ${LIST_UPLOAD_WAIT.maxWaitMs} ms, the wait's bound (${result.polls} polls; not a request's deadline); it may still complete in CXone (a push run again finds the job rather than uploading the list twice)`,
    });
  // A list CXone rejects whole (e.g. over the timed-call-request cap) ends cancelled; its words,
  // where the job carries them, say why.
  const { state, job } = result.last!;
  const why = text(state.errorMessage) ?? text(state.statusDescription);
  throw new ValidationError(`call-list upload job ${jobId} was cancelled${why ? `: ${why}` : ""}`, {
    endpoint: JOB_ENDPOINT,
    body: job.body,
    ...(job.requestId === undefined ? {} : { requestId: job.requestId }),
    ...(why === undefined ? {} : { statusDescription: why }),
  });
}

const JOB_ENDPOINT = "GET /lists/call-lists/jobs/{jobId}";

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
