import { writeFileSync } from "node:fs";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";

/**
 * What the autopilot's tests share: the production emulator with the list dialer's timing rules
 * only, its running Personal Connection skill, a model whose answer rate at each local hour the
 * test chooses, a list of (phone, account) records, and the admin reads of the uploads and lists.
 */
export async function autopilotEmulator(): Promise<{ emulator: RunningCxoneEmulator; skillId: string }> {
  const emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 91,
    contacts: 20,
    days: 1,
    uploadJobPolls: 1,
    knobs: { listDialRules: "timing-only" },
  })) as RunningCxoneEmulator;
  const skillId = String(
    emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isRunning)
      ?.skillId,
  );
  return { emulator, skillId };
}

/** A model file: each hour of the week answers `rpcOf(local hour)` of 400 attempts. */
export function writeModel(file: string, skillId: string, rpcOf: (hour: number) => number): void {
  const counts = new SlotCounts();
  for (let s = 0; s < 168; s++) counts.add(["state"], { state: "ZZ" }, s, 400, rpcOf(s % 24));
  writeFileSync(file, JSON.stringify(buildModel(counts, { campaign: skillId })));
}

/** A list file of `[recordId, phone, account]` rows, every one with consent. */
export function writeList(file: string, rows: ReadonlyArray<readonly [string, string, string]>): void {
  writeFileSync(
    file,
    `recordId,phone,accountId,consent\n${rows.map(([id, phone, account]) => `${id},${phone},${account},true`).join("\n")}\n`,
  );
}

/** A cxo.config.yaml with one collections campaign under the autopilot (New York's zone). */
export function writeAutopilotConfig(
  file: string,
  campaign: {
    skillId: string;
    list: string;
    model: string;
    morning: string;
    evening: string;
    reportDir?: string;
    /** Unanswered records planned again later in the day (the autopilot's default: 1). */
    retryUnanswered?: number;
    kind?: "sales" | "collections";
    /** The consent group (`consent.cxoneDncGroup`) and the DNC copy's freshness rule. */
    consent?: { group: number; maxAgeMinutes: number };
    /** `http.backoffBaseMs`/`backoffCapMs`: a retry's wait, shortened where a test's faults make retries. */
    backoff?: { baseMs: number; capMs: number };
  },
): void {
  const consent = campaign.consent
    ? `consent:\n  cxoneDncGroup: "${campaign.consent.group}"\n  cxoneDncMaxAgeMinutes: ${campaign.consent.maxAgeMinutes}\n`
    : "";
  writeFileSync(
    file,
    `${consent}http:
  rateLimitScale: 100
${campaign.backoff ? `  backoffBaseMs: ${campaign.backoff.baseMs}\n  backoffCapMs: ${campaign.backoff.capMs}\n` : ""}service:
  timeZone: America/New_York
autopilot:
${campaign.reportDir ? `  reportDir: ${campaign.reportDir}\n` : ""}  campaigns:
    - campaign: "${campaign.skillId}"
      kind: ${campaign.kind ?? "collections"}
      morning: "${campaign.morning}"
      evening: "${campaign.evening}"
      list: ${campaign.list}
      model: ${campaign.model}
${campaign.retryUnanswered === undefined ? "" : `      retryUnanswered: ${campaign.retryUnanswered}\n`}`,
  );
}

/** How many list uploads the emulator has received. */
export async function uploads(emulator: RunningCxoneEmulator): Promise<number> {
  const log = (await adminCall(emulator.url, "GET", "/requests")) as {
    requests: Array<{ method: string; path?: string; url?: string }>;
  };
  return log.requests.filter((r) => r.method === "POST" && /\/upload$/.test(r.path ?? r.url ?? "")).length;
}

/** The calling lists made since the emulator started (not its seeded ones). */
export async function uploadedLists(emulator: RunningCxoneEmulator): Promise<number[]> {
  const fixtures = (await adminCall(emulator.url, "GET", "/fixtures")) as {
    callingLists: Array<{ listId: number }>;
  };
  const seeded = new Set(emulator.fixtures.callingLists.map((l) => l.listId));
  return fixtures.callingLists.map((l) => l.listId).filter((id) => !seeded.has(id));
}

let unpin: (() => void) | undefined;

/**
 * Moves this process's clock (the in-process emulator's, and its list dialer's) to `iso` and
 * returns the environment that gives a `cxo` the same clock. Without it the emulator dialled on
 * the wall clock: a record whose dial window is 17:00–17:59 was dialled when the suite ran
 * between 17:00 and 18:00 in the record's zone, on whatever day (autopilot-kill-dialled failed
 * from 22:00 to 23:00 UTC).
 */
export function clockAt(iso: string): Record<string, string> {
  unpin?.();
  unpin = pinClock(iso).restore;
  return cliClockEnv();
}

/** Back to the wall clock (afterAll). */
export function unpinClock(): void {
  unpin?.();
  unpin = undefined;
}

/**
 * Holds the next upload job poll for a minute. A run is killed mid-push for certain once `met()`:
 * its upload reached CXone and it waits on the job. Waiting for the upload alone raced the kill:
 * with the job complete at the first poll, the push could finish before SIGKILL landed.
 * `release` lifts the hold.
 */
export async function holdUploadJobPoll(
  emulator: RunningCxoneEmulator,
): Promise<{ met(): Promise<boolean>; release(): Promise<void> }> {
  await adminCall(emulator.url, "POST", "/faults", {
    route: "GET /lists/call-lists/jobs/:jobId",
    latencyMs: 60_000,
    count: 1,
  });
  return {
    // A fault with a count leaves the board once its requests are spent.
    met: async () =>
      ((await adminCall(emulator.url, "GET", "/faults")) as { faults: unknown[] }).faults.length === 0,
    release: async () => void (await adminCall(emulator.url, "DELETE", "/faults")),
  };
}
