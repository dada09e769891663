import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  clockForChildren,
  currentClock,
  formatClockSetting,
  installClock,
  parseClockSetting,
  realNowMs,
} from "../../src/core/clock/index.ts";
import { runCli } from "../support/run-cli.ts";
import { waitUntil } from "../support/wait-until.ts";

/**
 * The stepped clock (`CXO_CLOCK=file:<path>`, docs/clock.md): a file holds an anchored running
 * clock; every process given it reads that clock and follows the file when it is rewritten, never
 * back. Whoever drives a simulated day steps it over a stretch in which nothing is due.
 */
const undo: Array<() => void> = [];
afterEach(() => {
  while (undo.length > 0) undo.pop()?.();
});
const dir = mkdtempSync(path.join(tmpdir(), "cxo-stepped-clock-"));
const anchoredNow = (instant: string, rate: number) =>
  `${instant}@x${rate}~${new Date(realNowMs()).toISOString()}`;
/** Rewrites the file whole (write aside, then rename), as a driver does. */
function write(file: string, text: string): void {
  writeFileSync(`${file}.next`, `${text}\n`);
  renameSync(`${file}.next`, file);
}

describe("the stepped clock's setting", () => {
  it("is file:<absolute path>, read back as written; a relative path is refused naming the field", () => {
    const text = `file:${path.join(dir, "clock")}`;
    expect(parseClockSetting(text)).toEqual({ kind: "file", path: path.join(dir, "clock") });
    expect(formatClockSetting(parseClockSetting(text))).toBe(text);
    expect(() => parseClockSetting("file:clock", "--clock")).toThrow(/--clock: .*absolute path/);
  });

  it("a file that is missing or holds no anchored running clock is an InputError naming the file", () => {
    const missing = path.join(dir, "missing");
    expect(() => installClock(`file:${missing}`, "CXO_CLOCK")).toThrow(
      new RegExp(`CXO_CLOCK: the stepped clock's file ${missing} cannot be read \\(ENOENT\\)`),
    );
    const unanchored = path.join(dir, "unanchored");
    write(unanchored, "2026-12-07T08:00:00-05:00@x600");
    expect(() => installClock(`file:${unanchored}`, "CXO_CLOCK")).toThrow(/anchored running clock/);
  });
});

describe("a process on a stepped clock", () => {
  it("reads the file's clock, follows it forward when rewritten, never back, and hands the file on", async () => {
    const file = path.join(dir, "follow");
    write(file, anchoredNow("2026-12-07T08:00:00-05:00", 600));
    const installed = installClock(`file:${file}`);
    undo.push(installed.uninstall);
    expect(installed.setting).toEqual({ kind: "file", path: file });
    expect(currentClock()).toMatchObject({ rate: 600, text: `file:${file}` });
    // x600 from 08:00: well under a day of it in the seconds a loaded machine takes here.
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse("2026-12-07T13:00:00Z"));
    expect(Date.now()).toBeLessThan(Date.parse("2026-12-08T13:00:00Z"));
    // A process it starts follows the same file.
    expect(clockForChildren()).toBe(`file:${file}`);

    // Stepped on to the evening, at x60 from there: the clock reads it within a poll of the file.
    write(file, anchoredNow("2026-12-07T18:00:00-05:00", 60));
    await waitUntil(() => Date.now() >= Date.parse("2026-12-07T23:00:00Z"), {
      what: "the clock stepped to 18:00",
      timeoutMs: 30_000,
      intervalMs: 10,
    });
    expect(currentClock().rate).toBe(60);

    // A value that reads earlier than the clock now is ignored: the clock does not go back.
    write(file, anchoredNow("2026-12-07T09:00:00-05:00", 60));
    // Past the poll and then some: still on the evening.
    await new Promise((r) => setTimeout(r, 300));
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse("2026-12-07T23:00:00Z"));
  });

  it("a cxo given CXO_CLOCK=file: reads the file's clock and says it is stepped", async () => {
    const file = path.join(dir, "cli");
    write(file, anchoredNow("2026-12-07T08:00:00-05:00", 1));
    const run = await runCli(["clock", "--json"], { CXO_CLOCK: `file:${file}` });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { now: string; kind: string; rate: number; setting: string };
    expect(doc).toMatchObject({ kind: "file", rate: 1, setting: `file:${file}` });
    const now = Date.parse(doc.now);
    expect(now).toBeGreaterThanOrEqual(Date.parse("2026-12-07T13:00:00Z"));
    expect(now).toBeLessThan(Date.parse("2026-12-07T14:00:00Z"));
    const relative = await runCli(["clock"], { CXO_CLOCK: "file:clock" });
    expect(relative.code).toBe(2);
    expect(relative.stderr).toMatch(/CXO_CLOCK: .*absolute path/);
  });
});
