import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * Issue 51 item 1: every file cxo writes goes through one safe-write helper. For each writer,
 * a target that is a symbolic link (to a "victim" file) and a target that is an existing file
 * of another kind are refused with exit 2 naming the flag and the path; the victim and the
 * foreign file are left exactly as they were; and nothing reaches CXone (the emulator's
 * request log stays empty, not even a token request).
 */
const RECENT = [
  "--from",
  new Date(Date.now() - 2 * 86_400_000).toISOString(),
  "--to",
  new Date(Date.now() - 60_000).toISOString(),
];
const VICTIM = "precious: not to be overwritten\n";
const FOREIGN = "setting: 1\n# a file of the user's, not one cxo wrote\n";

interface Writer {
  /** The command, writing to `target` (a path in the case's directory). */
  args: (target: string, dir: string) => string[];
  /** The target's file name. */
  name: string;
  /** The flag the refusal names. */
  flag: string;
  /** The flag that replaces a foreign file. */
  force: string;
  env?: Record<string, string>;
  files?: Record<string, string>;
}

const WRITERS: Record<string, Writer> = {
  "doctor --profile": {
    args: (t) => ["doctor", "--profile", t],
    name: "x.yaml",
    flag: "--profile",
    force: "--force",
  },
  "doctor --record": {
    args: (t) => ["doctor", "--record", t],
    name: "l.har",
    flag: "--record",
    force: "--force",
  },
  "tag --report": {
    args: (t, dir) => ["tag", "--campaign", "c1", "--file", path.join(dir, "rows.csv"), "--report", t],
    name: "problems.csv",
    flag: "--report",
    force: "--replace-report",
    files: { "rows.csv": "callId,dispositionCodeId\nCALL-1,CONVERTED\n" },
  },
  "outcomes export --out (ndjson)": {
    args: (t) => ["outcomes", "export", "--campaign", "c1", ...RECENT, "--out", t],
    name: "o.ndjson",
    flag: "--out",
    force: "--force",
  },
  "outcomes export --out (csv)": {
    args: (t) => ["outcomes", "export", "--campaign", "c1", ...RECENT, "--out", t],
    name: "o.csv",
    flag: "--out",
    force: "--force",
  },
  "outcomes export --report": {
    args: (t, dir) => [
      "outcomes",
      "export",
      "--campaign",
      "c1",
      ...RECENT,
      "--out",
      path.join(dir, "fine.ndjson"),
      "--report",
      t,
    ],
    name: "r.html",
    flag: "--report",
    force: "--force",
  },
  "campaigns contacts --out": {
    args: (t) => ["campaigns", "contacts", "L1", "--out", t],
    name: "c.ndjson",
    flag: "--out",
    force: "--force",
  },
  "audit export --out": {
    args: (t) => ["audit", "export", "--out", t],
    name: "a.jsonl",
    flag: "--out",
    force: "--force",
  },
  "audit anchor --out": {
    args: (t) => ["audit", "anchor", "--out", t],
    name: "anchors.jsonl",
    flag: "--out",
    force: "(none)",
    env: { CXO_AUDIT_ANCHOR_KEY: "k".repeat(32) },
  },
  "dialer simulate --chart (svg)": {
    args: (t) => [
      "dialer",
      "simulate",
      "--agents",
      "10",
      "--aht-s",
      "180",
      "--answer-rate",
      "0.3",
      "--hours",
      "1",
      "--sweep",
      "dial-ratio=1:1.2:0.1",
      "--chart",
      t,
    ],
    name: "chart.svg",
    flag: "--chart",
    force: "--force",
  },
  "dialer pacing bench --out": {
    args: (t, dir) => ["dialer", "pacing", "bench", "--scenario", path.join(dir, "none.yaml"), "--out", t],
    name: "bench.html",
    flag: "--out",
    force: "--force",
  },
};

interface Case {
  writer: string;
  kind: "symlink" | "foreign";
  dir: string;
  target: string;
}

/** Writers run with their force flag over a foreign file: replaced, 0600, exit 0 (local, nothing sent). */
const FORCED = ["audit export --out", "dialer simulate --chart (svg)"];

let emu: RunningEmulator;
let env: (dir: string) => Record<string, string>;
const cases: Case[] = [];
let results: CliResult[] = [];
const forced: Array<{ dir: string; target: string }> = [];
let forcedResults: CliResult[] = [];

beforeAll(async () => {
  emu = await startEmulator({ port: 0, calls: 100, metricsIntervalMs: 0 });
  const client = emu.fixtures.clients[0];
  if (!client) throw new Error("no client");
  env = (dir) => ({
    CXONE_BASE_URL: emu.url,
    CXONE_CLIENT_ID: client.clientId,
    CXONE_CLIENT_SECRET: client.clientSecret,
    CXO_DATA_DIR: path.join(dir, ".cxo"),
  });
  await adminCall(emu.url, "DELETE", "/requests");
  const jobs = [];
  for (const [writer, w] of Object.entries(WRITERS))
    for (const kind of ["symlink", "foreign"] as const) {
      const dir = mkdtempSync(path.join(tmpdir(), "cxo-safe-"));
      for (const [name, text] of Object.entries(w.files ?? {})) writeFileSync(path.join(dir, name), text);
      const target = path.join(dir, w.name);
      writeFileSync(path.join(dir, "victim.txt"), VICTIM, { mode: 0o644 });
      if (kind === "symlink") symlinkSync(path.join(dir, "victim.txt"), target);
      else writeFileSync(target, FOREIGN);
      cases.push({ writer, kind, dir, target });
      jobs.push({ args: w.args(target, dir), env: { ...env(dir), ...w.env }, cwd: dir });
    }
  const forcedJobs = FORCED.map((writer) => {
    const w = WRITERS[writer] as Writer;
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-safe-force-"));
    const target = path.join(dir, w.name);
    writeFileSync(target, FOREIGN, { mode: 0o644 });
    forced.push({ dir, target });
    return { args: [...w.args(target, dir), w.force], env: { ...env(dir), ...w.env }, cwd: dir };
  });
  [results, forcedResults] = await Promise.all([runCliBatch(jobs), runCliBatch(forcedJobs, 1)]);
}, 120_000);

afterAll(async () => {
  const log = (await adminCall(emu.url, "GET", "/requests")) as { requests: unknown[] };
  await emu.close();
  expect(log.requests).toEqual([]);
});

describe("every writer refuses a symbolic link and a foreign file (exit 2, nothing written, nothing sent)", () => {
  it.for(Object.keys(WRITERS).flatMap((w) => [`${w}: symlink`, `${w}: foreign`]))(
    "%s",
    (name, { expect }) => {
      const index = cases.findIndex((c) => `${c.writer}: ${c.kind}` === name);
      const c = cases[index] as Case;
      const w = WRITERS[c.writer] as Writer;
      const result = results[index] as CliResult;
      const base = path.basename(c.target).replace(/\./g, "\\.");
      expect(result.stderr).toMatch(
        c.kind === "symlink"
          ? new RegExp(`${w.flag}: ".*${base}" is a symbolic link`)
          : new RegExp(`${w.flag}: ".*${base}" exists and is not a .*${w.force === "(none)" ? "" : w.force}`),
      );
      expect(result.code).toBe(2);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      // The victim keeps its bytes and its mode; the link stays a link; the foreign file is intact.
      expect(readFileSync(path.join(c.dir, "victim.txt"), "utf8")).toBe(VICTIM);
      expect(statSync(path.join(c.dir, "victim.txt")).mode & 0o777).toBe(0o644);
      if (c.kind === "symlink") expect(lstatSync(c.target).isSymbolicLink()).toBe(true);
      else expect(readFileSync(c.target, "utf8")).toBe(FOREIGN);
    },
  );
});

describe("the force flag replaces a foreign file (never a link), through a temporary file, 0600", () => {
  it.for(FORCED.map((writer, index) => [writer, index] as const))("%s --force", ([, index]) => {
    const result = forcedResults[index] as CliResult;
    const { dir, target } = forced[index] as { dir: string; target: string };
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(readFileSync(target, "utf8")).not.toBe(FOREIGN);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
});
