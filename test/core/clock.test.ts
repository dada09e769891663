import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import type { ComplianceInput } from "../../src/compliance/verdict.ts";
import {
  clockForChildren,
  currentClock,
  formatClockSetting,
  installClock,
  parseClockSetting,
  realDelayMs,
  realNowMs,
  restoreWallClock,
} from "../../src/core/clock/index.ts";
import { InputError } from "../../src/core/input-error.ts";
import { PeriodicTask } from "../../src/core/periodic-task.ts";
import { parseNanp } from "../../src/core/phone-number.ts";
import { runCli, spawnCli } from "../support/run-cli.ts";

const undo: Array<() => void> = [];
afterEach(() => {
  while (undo.length > 0) undo.pop()?.();
  vi.useRealTimers();
});
const install = (text: string) => {
  const installed = installClock(parseClockSetting(text));
  undo.push(installed.uninstall);
  return installed;
};

describe("the clock setting (CXO_CLOCK, --clock)", () => {
  it("reads the wall, a fixed instant, a running clock and an anchored one", () => {
    expect(parseClockSetting(undefined)).toEqual({ kind: "wall" });
    expect(parseClockSetting("")).toEqual({ kind: "wall" });
    expect(parseClockSetting("2026-11-30T07:00:00-05:00")).toEqual({
      kind: "fixed",
      at: "2026-11-30T07:00:00-05:00",
      atMs: Date.parse("2026-11-30T12:00:00Z"),
    });
    expect(parseClockSetting("2026-11-30T07:00:00-05:00@x600")).toMatchObject({ kind: "running", rate: 600 });
    const anchored = parseClockSetting("2026-11-30T07:00:00-05:00@x0.5~2026-11-27T16:00:00Z");
    expect(anchored).toMatchObject({
      kind: "running",
      rate: 0.5,
      anchorMs: Date.parse("2026-11-27T16:00:00Z"),
    });
    expect(formatClockSetting(anchored)).toBe("2026-11-30T07:00:00-05:00@x0.5~2026-11-27T16:00:00.000Z");
  });

  it.each([
    ["2026-11-30T07:00:00", /offset/],
    ["2026-11-30", /offset/],
    ["tomorrow", /offset/],
    ["2026-11-30T07:00:00Z@600", /x<N>/],
    ["2026-11-30T07:00:00Z@x0", /x<N>/],
    ["2026-11-30T07:00:00Z@x-2", /x<N>/],
    ["2026-11-30T07:00:00Z@x99999999999", /at most/],
    ["2026-11-30T07:00:00Z@x2@x3", /one "@x<N>"/],
    ["2026-11-30T07:00:00Z@x2~yesterday", /anchor/],
    // Issue 100 (Low): an impossible date was read as another (31 February as 3 March).
    ["2026-02-31T07:00:00-05:00", /not a real date or time/],
    ["2026-11-30T24:30:00Z", /instant/],
    [
      "2026-11-30T07:00:00Z@x2~2026-13-01T00:00:00Z",
      /anchor after ~ "2026-13-01T00:00:00Z" is not a real date/,
    ],
  ])("refuses %s naming the setting and the rule", (text, rule) => {
    let error: unknown;
    try {
      parseClockSetting(text, "--clock");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^--clock: /);
    expect((error as InputError).message).toMatch(rule);
  });
});

describe("the process clock", () => {
  it("a fixed clock starts at its instant; the machine's own time stays readable", () => {
    const before = realNowMs();
    install("2030-01-01T00:00:00Z");
    const read = Date.now();
    const elapsed = realNowMs() - before;
    expect(read).toBeGreaterThanOrEqual(Date.parse("2030-01-01T00:00:00Z"));
    expect(read).toBeLessThanOrEqual(Date.parse("2030-01-01T00:00:00Z") + elapsed);
    expect(new Date().getUTCFullYear()).toBe(2030);
    expect(Math.abs(realNowMs() - before)).toBeLessThan(60_000);
    expect(new Date(0).toISOString()).toBe("1970-01-01T00:00:00.000Z");
  });

  it("an anchored running clock reads the instant plus the real time since its anchor times its speed", () => {
    const anchor = realNowMs() - 10_000;
    install(`2026-11-30T07:00:00-05:00@x60~${new Date(anchor).toISOString()}`);
    const low = (realNowMs() - anchor) * 60;
    const read = Date.now() - Date.parse("2026-11-30T12:00:00Z");
    const high = (realNowMs() - anchor) * 60;
    expect(read).toBeGreaterThanOrEqual(Math.floor(low) - 60);
    expect(read).toBeLessThanOrEqual(high);
    expect(currentClock().rate).toBe(60);
  });

  it("an unanchored running clock is anchored at its install, and handed on anchored", () => {
    const installed = install("2026-11-30T07:00:00-05:00@x600");
    expect(installed.setting).toMatchObject({ kind: "running", anchorMs: expect.any(Number) });
    const child = parseClockSetting(clockForChildren());
    expect(child).toMatchObject({
      kind: "running",
      rate: 600,
      anchorMs: (installed.setting as { anchorMs: number }).anchorMs,
    });
  });

  it("a fixed clock is handed on as the same time running at x1, not restarted at its instant", () => {
    install("2026-11-30T07:00:00-05:00");
    const child = parseClockSetting(clockForChildren());
    expect(child).toMatchObject({ kind: "running", rate: 1, atMs: Date.parse("2026-11-30T12:00:00Z") });
  });

  it("installs nest and undo in any order", () => {
    const real = globalThis.Date;
    const outer = installClock(parseClockSetting("2030-01-01T00:00:00Z"));
    const inner = installClock(parseClockSetting("2040-01-01T00:00:00Z"));
    expect(new Date().getUTCFullYear()).toBe(2040);
    outer.uninstall();
    expect(new Date().getUTCFullYear()).toBe(2040);
    inner.uninstall();
    expect(globalThis.Date).toBe(real);
  });
});

describe("schedules follow the clock's speed", () => {
  it("a wait is the clock's time divided by its speed, never under 50 ms of real time", () => {
    expect(realDelayMs(300_000)).toBe(300_000);
    install("2026-11-30T07:00:00-05:00@x600");
    expect(realDelayMs(300_000)).toBe(500);
    expect(realDelayMs(6_000)).toBe(50);
    expect(realDelayMs(20)).toBe(20);
  });

  it("a periodic task of 5 minutes runs every half-second at x600", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    install("2026-11-30T07:00:00-05:00@x600");
    let runs = 0;
    class Counting extends PeriodicTask {
      protected override async runOnce(): Promise<void> {
        runs += 1;
      }
    }
    const task = new Counting(300_000);
    task.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(499);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(2);
    await task.stop();
  });
});

describe("every process reads it", () => {
  // `compliance check` opens the store (the internal DNC list): one of the run's, not ./.cxo.
  const CXO_DATA_DIR = mkdtempSync(path.join(tmpdir(), "cxo-clock-"));

  it("a command reads CXO_CLOCK: the same number refused at 06:00 and allowed at 10:00 in its zone", async () => {
    const at = async (clock: string) =>
      JSON.parse(
        (
          await runCli(["compliance", "check", "--phone", "+12127363100", "--consent", "yes", "--json"], {
            CXO_CLOCK: clock,
            CXO_DATA_DIR,
          })
        ).stdout,
      ) as { allowed: boolean };
    expect((await at("2026-12-02T06:00:00-05:00")).allowed).toBe(false);
    expect((await at("2026-12-02T10:00:00-05:00")).allowed).toBe(true);
  });

  it("a clock that is not a real instant exits 2 naming CXO_CLOCK, nothing judged (issue 100, Low)", async () => {
    // An impossible day, and a running clock whose speed from an old anchor overflows every Date
    // (it judged a call under no rule at all: ALLOWED).
    for (const clock of [
      "2026-02-31T10:00:00-05:00",
      "2026-11-30T07:00:00Z@x31536000~1970-01-01T00:00:00Z",
    ]) {
      const run = await runCli(
        ["compliance", "check", "--phone", "+12127363100", "--consent", "yes", "--json"],
        { CXO_CLOCK: clock, CXO_DATA_DIR },
      );
      expect(run.code, run.stdout).toBe(2);
      expect(run.stderr).toMatch(/CXO_CLOCK: .*not a real (instant|date or time)/);
      expect(run.stdout).toBe("");
    }
  });

  it("the engine judges nothing at no instant (it allowed such a call under no rule)", () => {
    const engine = new ComplianceEngine();
    expect(() =>
      engine.evaluate({
        number: parseNanp("+12127363100")!,
        atMs: Number.NaN,
        consent: true,
      } as ComplianceInput),
    ).toThrow(/not a real instant/);
  });

  it("a malformed clock exits 2 naming it, from the env or the flag", async () => {
    const env = await runCli(["compliance", "check", "--phone", "+12125550123"], {
      CXO_CLOCK: "noon",
      CXO_DATA_DIR,
    });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/CXO_CLOCK: .*offset/);
    const flag = await runCli(["serve", "--clock", "2026-11-30T07:00:00Z@fast", "--port", "0"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--clock: /);
  });

  it("an emulator and a command started apart read one running clock", async () => {
    const clock = (await runCli(["clock", "--anchor", "2026-11-30T07:00:00-05:00@x3600"])).stdout.trim();
    expect(clock).toMatch(/@x3600~/);
    const emulator = spawnCli(["emulator", "start", "--platform", "cxone", "--port", "0", "--json"], {
      CXO_CLOCK: clock,
    });
    try {
      await vi.waitFor(() => expect(emulator.out()).toMatch(/"url"/), { timeout: 30_000, interval: 50 });
      const url = (JSON.parse(emulator.out()) as { url: string }).url;
      const before = realNowMs();
      const served = (await (await fetch(`${url}/_emulator/clock`)).json()) as {
        now: string;
        setting: string;
      };
      const command = JSON.parse((await runCli(["clock", "--json"], { CXO_CLOCK: clock })).stdout) as {
        now: string;
      };
      const realSpan = realNowMs() - before;
      expect(served.setting).toBe(clock);
      // Both read instant + (real time since the anchor) x 3600: they differ by the real time
      // between the two reads, times 3600, and no more.
      const gap = Date.parse(command.now) - Date.parse(served.now);
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThanOrEqual((realSpan + 2) * 3600);
      const anchor = Date.parse(clock.split("~")[1] as string);
      const expected = Date.parse("2026-11-30T12:00:00Z") + (before - anchor) * 3600;
      expect(Math.abs(Date.parse(served.now) - expected)).toBeLessThanOrEqual((realSpan + 2) * 3600);
    } finally {
      emulator.child.kill("SIGTERM");
      await emulator.exit;
    }
  });
});

describe("restoreWallClock", () => {
  it("undoes every installed clock at once, as a test worker does before each file", () => {
    installClock("2030-01-01T00:00:00Z");
    installClock("2031-06-01T00:00:00Z@x60");
    expect(new Date().getUTCFullYear()).toBe(2031);
    restoreWallClock();
    // The wall clock in force, not a simulated one (those are days away): not a timing.
    expect(Math.abs(Date.now() - realNowMs())).toBeLessThan(3_600_000);
    expect(currentClock().setting).toEqual({ kind: "wall" });
  });

  it("an undo that comes after it leaves the clock installed since alone", () => {
    // A test file's clock, undone by the worker before the next file, whose own clock is then in
    // force when the first file's late undo runs (a module shared between files keeps it).
    const stale = installClock("2030-01-01T00:00:00Z");
    restoreWallClock();
    const current = installClock("2031-06-01T00:00:00Z@x60");
    try {
      stale.uninstall();
      expect(new Date().getUTCFullYear()).toBe(2031);
      expect(currentClock()).toMatchObject({ rate: 60 });
      expect(clockForChildren()).toMatch(/^2031-06-01T00:00:00\.000Z@x60~/);
    } finally {
      current.uninstall();
    }
    expect(currentClock().setting).toEqual({ kind: "wall" });
    // The wall clock in force, not a simulated one (those are days away): not a timing.
    expect(Math.abs(Date.now() - realNowMs())).toBeLessThan(3_600_000);
  });
});
