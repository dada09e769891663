import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { parseNanp } from "../../src/compliance/index.ts";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { planRowSchema } from "../../src/strategy/plan-format.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { startListEmulator } from "../support/cxone-list-dialer.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * Issue 62 §3, the case as reported, through the real CLI on the production emulator: five
 * records sharing +13055550001 (Florida: at most 3 calls in any 24 h), `strategy plan --kind
 * sales` (reported as five debts of one number, which one file may no longer say), `strategy push`, the emulator's dialer, `strategy attempts`. On main the plan put
 * two calls at Monday 16:00, one at 19:00 and one at Tuesday 16:00 — legal as instants, four
 * calls within 23 h once CXone may dial each anywhere in its 59-minute window. Now: no choice of
 * dial times within the pushed windows puts four within 24 h, and under each of the emulator's
 * timings (`early`, `late`, `random`) every dial passes the compliance engine. A push that would
 * give the dialer a longer window than the plan was made for exits 2 naming --stale-minutes,
 * and nothing is sent (request log).
 */
let emulator: RunningCxoneEmulator;
let skillId = "";
const dir = mkdtempSync(path.join(tmpdir(), "cxo-dial-window-"));
const file = (name: string) => path.join(dir, name);
let env: Record<string, string>;
let results: CliResult[];
const TIMINGS = ["early", "late", "random"] as const;
const FL = "+13055550001";
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/** The clock is pinned to a Monday 05:00 New York (pinClock; the `cxo` runs share it), the plan's horizon. */
const from = new Date("2026-12-07T10:00:00Z");
let clock: ReturnType<typeof pinClock>;

const cli = (...args: string[]) => ({ args: ["--json", ...args], env, cwd: dir });
const push = (listName: string, ...extra: string[]) =>
  cli(
    "strategy",
    "push",
    "--plan",
    file("plan.ndjson"),
    "--campaign",
    skillId,
    "--list-name",
    listName,
    ...extra,
  );

beforeAll(async () => {
  clock = pinClock(from.toISOString());
  ({ emulator, skillId } = await startListEmulator(62));
  env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: file(".cxo"), ...cliClockEnv() };
  // Monday and Tuesday 16:00 and 19:00 (Eastern, the number's zone) answer far better.
  const counts = new SlotCounts();
  for (let s = 0; s < 168; s++)
    counts.add(["state"], { state: "FL" }, s, 500, [16, 19, 40, 43].includes(s) ? 300 : 25);
  writeFileSync(file("model.json"), JSON.stringify(buildModel(counts, { campaign: skillId })));
  writeFileSync(
    file("list.csv"),
    // One number cannot be five debts in one file (refused since issue 89): the records are a
    // sales list's, which Florida's cap holds alike.
    `recordId,phone,consent\n${[1, 2, 3, 4, 5].map((i) => `r${i},${FL},true`).join("\n")}\n`,
  );
  const fromText = from.toISOString().replace(".000Z", "Z");
  const flags = ["--model", file("model.json"), "--campaign", skillId, "--from", fromText, "--days", "3"];
  flags.push("--out", file("plan.ndjson"), "--report", file("plan.html"));
  results = await runCliBatch(
    [
      cli("strategy", "plan", "--kind", "sales", ...["--list", file("list.csv")], ...flags),
      ...TIMINGS.map((t) => ({ ...push(`FL ${t}`), env: { ...env, CXO_DATA_DIR: file(`.cxo-${t}`) } })),
    ],
    1,
  );
}, 180_000);
afterAll(async () => {
  clock?.restore();
  await emulator?.close();
});

/** The rows pushed on the first day: those whose window opens within the day (push-run.ts). */
const todayRows = () => planned().filter((r) => Date.parse(r.attemptAt) <= from.getTime() + DAY - 59 * MIN);

const planned = () =>
  readFileSync(file("plan.ndjson"), "utf8")
    .trim()
    .split("\n")
    .map((l) => planRowSchema.parse(JSON.parse(l)));

/** The most calls that some choice of dial times within the windows puts within `windowMs`. */
function busiest(windows: ReadonlyArray<{ start: number; end: number }>, windowMs: number): number {
  let most = 0;
  for (const u of windows.map((w) => w.end)) {
    const n = windows.filter((w) => w.end >= u && w.start < u + windowMs).length;
    if (n > most) most = n;
  }
  return most;
}

describe("the plan report on the production platform (issue 64 §2)", () => {
  it("is titled with the skill's name, read from CXone, not 'campaign <id>'", () => {
    const name = emulator.fixtures.skills.find((s) => String(s.skillId) === skillId)?.skillName as string;
    expect(name).toBeTruthy();
    expect(readFileSync(file("plan.html"), "utf8")).toContain(`<h1>Contact strategy: ${name}</h1>`);
  });

  it("charts the attempts in the called party's local time too, like the heat maps", () => {
    const html = readFileSync(file("plan.html"), "utf8");
    expect(html).toContain("<h2>Planned attempts by the called party's local hour</h2>");
    const byHour = new Map<number, number>();
    for (const row of planned()) {
      const hour = Number(row.attemptAt.slice(11, 13));
      byHour.set(hour, (byHour.get(hour) ?? 0) + 1);
    }
    for (const [hour, n] of byHour)
      expect(html).toContain(`<title>${String(hour).padStart(2, "0")}:00 local: ${n} attempts</title>`);
  });
});

describe("the reported Florida case: a plan legal at every instant CXone may dial it", () => {
  it("plans five windows of which no four can be dialled within 24 h, and pushes them", () => {
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const rows = planned();
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.staleMinutes === 59 && r.phone === FL)).toBe(true);
    const windows = rows.map((r) => ({
      start: Date.parse(r.attemptAt),
      end: Date.parse(r.attemptAt) + 59 * MIN,
    }));
    expect(busiest(windows, DAY)).toBeLessThanOrEqual(3);
    // Issue 76 §3: a day's records go out (a record's time range recurs daily); the rest later.
    const today = rows.filter((r) => Date.parse(r.attemptAt) <= from.getTime() + DAY - 59 * MIN).length;
    expect(today).toBeGreaterThan(0);
    for (const r of results.slice(1)) {
      const pushed = JSON.parse(r.stdout);
      expect(pushed).toMatchObject({
        records: today,
        later: 5 - today,
        staleMinutes: 59,
        callbacks: 0,
        source: "created",
        skill: { loadNonFresh: false, dialsPerRecord: 1 },
      });
      if (today < 5) expect(pushed.nextPushAt).toMatch(/^2026-12-0[78]T/);
    }
  });

  it("dialled early, late or at random within the windows: every dial passes the engine", async () => {
    const lists = results.slice(1).map((r) => JSON.parse(r.stdout).listId as string);
    const until = new Date(from.getTime() + 4 * DAY).toISOString();
    for (const [i, timing] of TIMINGS.entries()) {
      // `late` through the knob (the dialer's default timing), the others per request.
      if (timing === "late") await adminCall(emulator.url, "POST", "/knobs", { listDialTiming: "late" });
      const answer = await adminCall(emulator.url, "POST", `/lists/${lists[i]}/dial`, {
        until,
        ...(timing === "late" ? {} : { timing }),
      });
      expect(answer).toMatchObject({ timing, attempts: todayRows().length, stale: 0 });
      if (timing === "late") await adminCall(emulator.url, "POST", "/knobs", { listDialTiming: "jitter" });
    }
    const reads = await runCliBatch(
      lists.map((list, i) => ({
        ...cli("strategy", "attempts", "--list", list),
        env: { ...env, CXO_DATA_DIR: file(`.cxo-${TIMINGS[i]}`) },
      })),
      1,
    );
    const windowOf = new Map(todayRows().map((r) => [r.recordId, Date.parse(r.attemptAt)]));
    const number = parseNanp(FL)!;
    for (const [i, read] of reads.entries()) {
      expect(read.code, read.stderr).toBe(0);
      const dials = JSON.parse(read.stdout).attempts as Array<{
        at: string;
        recordId: string;
        deliveredAsCallback: boolean;
      }>;
      // Ordinary predictive work: no record went in as a callback (issue 76 §3).
      expect(dials.every((a) => a.deliveredAsCallback === false)).toBe(true);
      const attempts = dials
        .map((a) => ({ at: Date.parse(a.at), requested: windowOf.get(a.recordId) as number }))
        .sort((a, b) => a.at - b.at);
      expect(attempts).toHaveLength(todayRows().length);
      const timing = TIMINGS[i];
      for (const a of attempts) {
        expect(a.at).toBeGreaterThanOrEqual(a.requested);
        expect(a.at).toBeLessThanOrEqual(a.requested + 59 * MIN);
        if (timing === "early") expect(a.at).toBe(a.requested);
        // The record's time range ends on its window's last minute (HH:mm), exclusive.
        if (timing === "late") expect(a.at).toBeGreaterThanOrEqual(a.requested + 58 * MIN);
      }
      attempts.forEach((a, k) => {
        const verdict = engine.evaluate({
          number,
          atMs: a.at,
          consent: true,
          onDnc: false,
          attempts: attempts.slice(0, k).map((e) => ({ atMs: e.at })),
          searchDays: 0,
        });
        expect(
          verdict.reasons.map((r) => r.message),
          `${timing} ${new Date(a.at).toISOString()}`,
        ).toEqual([]);
      });
    }
  });

  it("a push giving the dialer more than the plan's 59 minutes exits 2 naming --stale-minutes; nothing sent", async () => {
    await adminCall(emulator.url, "DELETE", "/requests");
    const [refused] = await runCliBatch(
      [{ ...push("FL wider", "--stale-minutes", "90"), env: { ...env, ...cliClockEnv() } }],
      1,
    );
    expect(refused!.code, refused!.stderr).toBe(2);
    expect(refused!.stderr).toMatch(
      /^error: row 1, --stale-minutes: the plan was made for a 59-minute dial window/,
    );
    expect(refused!.stderr).not.toMatch(/\n\s+at /);
    const log = (await adminCall(emulator.url, "GET", "/requests")) as { requests: Array<{ path: string }> };
    expect(log.requests.filter((r) => r.path.includes("/lists"))).toEqual([]);
  });
});
