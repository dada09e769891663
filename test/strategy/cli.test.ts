import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { modelSchema } from "../../src/strategy/model-format.ts";
import { planRowSchema } from "../../src/strategy/plan-format.ts";
import { adminCall } from "../support/emulator-admin.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * `cxo strategy` end to end through the real entry point: learn → plan on files, and the bad
 * input of issue 55 (a model of another campaign or key set, a list without the model's column
 * or with no phone column, a --from without offset, collections without accountId, an empty
 * history and a model learned from nothing: planned from the prior, said on stderr): exit 2 naming the field, no stack
 * trace, no file written; push on the seed platform is NotSupportedError (exit 1) with nothing
 * sent: the emulator's request log stays empty.
 */
let emu: RunningEmulator;
let results: CliResult[];
const dir = mkdtempSync(path.join(tmpdir(), "cxo-strategy-"));
const file = (name: string) => path.join(dir, name);
/**
 * A directory this process cannot create a file in (issue 63 N17): one made read-only, or for
 * root (whom permissions do not stop) a kernel directory.
 */
const UNWRITABLE = (() => {
  if (process.getuid?.() === 0) return "/proc/self";
  const ro = path.join(dir, "read-only");
  mkdirSync(ro);
  chmodSync(ro, 0o555);
  return ro;
})();

const HISTORY = [
  {
    campaignId: "C1",
    startTime: "2026-01-05T23:30:00Z",
    phoneNumber: "+13055552100",
    dispositionCode: "CONVERTED",
    agentId: "A1",
  },
  {
    campaignId: "C1",
    startTime: "2026-01-06T14:30:00Z",
    phoneNumber: "+13055552101",
    dispositionCode: "NO_ANSWER",
    agentId: null,
  },
  {
    campaignId: "C2",
    startTime: "2026-01-06T14:30:00Z",
    phoneNumber: "+13055552101",
    dispositionCode: "NO_ANSWER",
    agentId: null,
  },
];

const CASES: Array<{ name: string; args: string[]; code: number; stderr?: RegExp; out?: string }> = [
  {
    name: "learn",
    args: [
      "strategy",
      "learn",
      "--campaign",
      "C1",
      "--history",
      file("hist.ndjson"),
      "--out",
      file("model.json"),
      "--report",
      file("model.html"),
    ],
    code: 0,
    out: "model.json",
  },
  {
    name: "learn by area code",
    args: [
      "strategy",
      "learn",
      "--campaign",
      "C1",
      "--keys",
      "areaCode",
      "--history",
      file("hist.ndjson"),
      "--out",
      file("model-ac.json"),
    ],
    code: 0,
    out: "model-ac.json",
  },
  {
    name: "plan",
    args: [
      "strategy",
      "plan",
      "--list",
      file("list.csv"),
      "--model",
      file("model.json"),
      "--from",
      "2026-03-02T00:00:00-05:00",
      "--days",
      "7",
      "--attempts",
      "2",
      "--out",
      file("plan.ndjson"),
      "--history",
      file("hist.ndjson"),
      "--capacity",
      "3/hour",
      "--report",
      file("plan.html"),
    ],
    code: 0,
    out: "plan.ndjson",
  },
  {
    name: "plan csv",
    args: [
      "strategy",
      "plan",
      "--list",
      file("list.ndjson"),
      "--model",
      file("model.json"),
      "--from",
      "2026-03-02T00:00:00Z",
      "--out",
      file("plan.csv"),
    ],
    code: 0,
    out: "plan.csv",
  },
  {
    name: "model of another campaign",
    args: [
      "strategy",
      "plan",
      "--campaign",
      "C2",
      "--list",
      file("list.csv"),
      "--model",
      file("model.json"),
      "--from",
      "2026-03-02T00:00:00Z",
      "--out",
      file("bad1.ndjson"),
    ],
    code: 2,
    stderr: /^error: model\.campaign: the model was learned for campaign C1, not C2/,
  },
  {
    name: "list with no phone column",
    args: [
      "strategy",
      "plan",
      "--list",
      file("nophone.csv"),
      "--model",
      file("model.json"),
      "--from",
      "2026-03-02T00:00:00Z",
      "--out",
      file("bad2.ndjson"),
    ],
    code: 2,
    stderr: /^error: phone: .*has no phone column/,
  },
  // The list is checked before the platform is asked anything (history, capacity): nothing sent.
  {
    name: "list with no phone column, history and capacity from the platform",
    args: [
      "strategy",
      "plan",
      "--list",
      file("nophone.csv"),
      "--model",
      file("model.json"),
      "--from",
      "2026-03-02T00:00:00Z",
      "--history",
      "campaign",
      "--capacity",
      "auto",
      "--out",
      file("bad2b.ndjson"),
    ],
    code: 2,
    stderr: /^error: phone: .*has no phone column/,
  },
  {
    name: "collections list without accountId, history from the platform",
    args: [
      "strategy",
      "plan",
      "--list",
      file("list.csv"),
      "--model",
      file("model.json"),
      "--from",
      "2026-03-02T00:00:00Z",
      "--kind",
      "collections",
      "--history",
      "campaign",
      "--out",
      file("bad4b.ndjson"),
    ],
    code: 2,
    stderr: /accountId: is required for kind collections/,
  },
  {
    name: "--from without offset",
    args: [
      "strategy",
      "plan",
      "--list",
      file("list.csv"),
      "--model",
      file("model.json"),
      "--from",
      "2026-03-02T09:00:00",
      "--out",
      file("bad3.ndjson"),
    ],
    code: 2,
    stderr: /^error: --from: has no time zone: add Z or an offset/,
  },
  {
    name: "collections without accountId",
    args: [
      "strategy",
      "plan",
      "--kind",
      "collections",
      "--list",
      file("list.csv"),
      "--model",
      file("model.json"),
      "--from",
      "2026-03-02T00:00:00Z",
      "--out",
      file("bad4.ndjson"),
    ],
    code: 2,
    stderr: /accountId: is required for kind collections/,
  },
  {
    name: "model version",
    args: [
      "strategy",
      "plan",
      "--list",
      file("list.csv"),
      "--model",
      file("model-v9.json"),
      "--from",
      "2026-03-02T00:00:00Z",
      "--out",
      file("bad5.ndjson"),
    ],
    code: 2,
    stderr: /^error: model\.version: must be 1/,
  },
  {
    name: "learn without campaign",
    args: ["strategy", "learn", "--history", file("hist.ndjson"), "--out", file("bad6.json")],
    code: 2,
    stderr: /^error: --campaign: is required/,
  },
  // The CLI names the flag the user typed, not the SDK's field (days, attemptsPerRecord, …).
  ...(
    [
      ["--days", "0", /^error: --days: must be a whole number of days from 1 to 31/],
      ["--attempts", "30", /^error: --attempts: must be a whole number from 1 to 24/],
      ["--capacity", "0", /^error: --capacity: must be a positive whole number/],
    ] as const
  ).map(([flag, value, stderr], i) => ({
    name: `plan ${flag} ${value}`,
    args: [
      "strategy",
      "plan",
      "--list",
      file("list.csv"),
      "--model",
      file("model.json"),
      "--from",
      "2026-03-02T00:00:00Z",
      flag,
      value,
      "--out",
      file(`bad-flag${i}.ndjson`),
    ],
    code: 2,
    stderr,
  })),
  ...(
    [
      ["--prior-strength", "-5", /^error: --prior-strength: must be a positive number/],
      ["--buckets", "3,1", /^error: --buckets: must be increasing whole numbers from 1/],
      ["--rpc", "bogus", /^error: --rpc: bogus is not a category of the outcome map/],
    ] as const
  ).map(([flag, value, stderr], i) => ({
    name: `learn ${flag} ${value}`,
    args: [
      "strategy",
      "learn",
      "--campaign",
      "C1",
      "--history",
      file("hist.ndjson"),
      flag,
      value,
      "--out",
      file(`bad-learn${i}.json`),
    ],
    code: 2,
    stderr,
  })),
  // A --report that cannot be written is refused before the work: no plan or model left behind.
  {
    name: "plan --report in a missing directory",
    args: [
      "strategy",
      "plan",
      "--list",
      file("list.csv"),
      "--model",
      file("model.json"),
      "--from",
      "2026-03-02T00:00:00Z",
      "--out",
      file("bad-report-plan.ndjson"),
      "--report",
      file("no-such-dir/plan.html"),
    ],
    code: 2,
    stderr: /^error: --report: directory .*no-such-dir does not exist/,
  },
  // Found before the work too: a directory that exists but cannot be written (issue 63 N17).
  {
    name: "plan --report in a directory that cannot be written",
    args: [
      "strategy",
      "plan",
      "--list",
      file("list.csv"),
      "--model",
      file("model.json"),
      "--from",
      "2026-03-02T00:00:00Z",
      "--out",
      file("bad-report-unwritable.ndjson"),
      "--report",
      path.join(UNWRITABLE, "plan.html"),
    ],
    code: 2,
    stderr: /^error: --report: directory .* cannot be written/,
  },
  {
    name: "plan --out in a directory that cannot be written",
    args: [
      "strategy",
      "plan",
      "--list",
      file("list.csv"),
      "--model",
      file("model.json"),
      "--from",
      "2026-03-02T00:00:00Z",
      "--out",
      path.join(UNWRITABLE, "plan.ndjson"),
    ],
    code: 2,
    stderr: /^error: --out: directory .* cannot be written/,
  },
  {
    name: "learn --report in a missing directory",
    args: [
      "strategy",
      "learn",
      "--campaign",
      "C1",
      "--history",
      file("hist.ndjson"),
      "--out",
      file("bad-report-model.json"),
      "--report",
      file("no-such-dir/model.html"),
    ],
    code: 2,
    stderr: /^error: --report: directory .*no-such-dir does not exist/,
  },
  {
    name: "push on seed",
    args: ["strategy", "push", "--plan", file("plan.ndjson"), "--campaign", "C1"],
    code: 1,
    stderr: /strategy\.push is not supported on the seed API platform/,
  },
  {
    name: "model of another key set",
    args: [
      "strategy",
      "plan",
      "--list",
      file("list.csv"),
      "--model",
      file("model.json"),
      "--keys",
      "areaCode",
      "--from",
      "2026-03-02T00:00:00-05:00",
      "--out",
      file("bad-keys.ndjson"),
    ],
    code: 2,
    stderr: /^error: model\.keys: the model's segment keys are \[state\], not \[areaCode\]/,
  },
  {
    name: "list without the model's column",
    args: [
      "strategy",
      "plan",
      "--list",
      file("list.csv"),
      "--model",
      file("model-column.json"),
      "--from",
      "2026-03-02T00:00:00-05:00",
      "--out",
      file("bad-column.ndjson"),
    ],
    code: 2,
    stderr: /^error: model\.keys: the model was learned by the list column segment/,
  },
  {
    name: "empty history and a model learned from nothing: the prior, said",
    args: [
      "strategy",
      "plan",
      "--list",
      file("list.csv"),
      "--model",
      file("model-empty.json"),
      "--history",
      file("empty.ndjson"),
      "--from",
      "2026-03-02T00:00:00-05:00",
      "--out",
      file("plan-prior.ndjson"),
    ],
    code: 0,
    stderr: /prior alone[\s\S]*history holds no attempts/,
    out: "plan-prior.ndjson",
  },
];

beforeAll(async () => {
  emu = await startEmulator({ port: 0, calls: 10, metricsIntervalMs: 0 });
  const client = emu.fixtures.clients[0];
  if (!client) throw new Error("no client");
  writeFileSync(file("hist.ndjson"), `${HISTORY.map((r) => JSON.stringify(r)).join("\n")}\n`);
  writeFileSync(
    file("list.csv"),
    "recordId,phone,state,consent\nr1,+13055552100,FL,true\nr2,+14055552100,,yes\n",
  );
  writeFileSync(
    file("list.ndjson"),
    `${JSON.stringify({ recordId: "r1", phone: "+13055552100", consent: true })}\n`,
  );
  writeFileSync(file("nophone.csv"), "recordId,number\nr1,+13055552100\n");
  writeFileSync(file("model-v9.json"), JSON.stringify({ version: 9 }));
  writeFileSync(file("empty.ndjson"), "");
  writeFileSync(file("model-empty.json"), JSON.stringify(buildModel(new SlotCounts(), { campaign: "C1" })));
  const byColumn = new SlotCounts();
  byColumn.add(["column:segment"], { "column:segment": "working" }, 18, 10, 4);
  writeFileSync(
    file("model-column.json"),
    JSON.stringify(buildModel(byColumn, { campaign: "C1", keys: ["column:segment"] })),
  );
  await adminCall(emu.url, "DELETE", "/requests");
  const env = {
    CXONE_BASE_URL: emu.url,
    CXONE_CLIENT_ID: client.clientId,
    CXONE_CLIENT_SECRET: client.clientSecret,
    CXO_DATA_DIR: path.join(dir, ".cxo"),
  };
  // Learning comes first (plan reads its model): two batches.
  const first = await runCliBatch(
    CASES.slice(0, 2).map((c) => ({ args: c.args, env, cwd: dir })),
    1,
  );
  const rest = await runCliBatch(
    CASES.slice(2).map((c) => ({ args: c.args, env, cwd: dir })),
    2,
  );
  results = [...first, ...rest];
}, 180_000);

afterAll(async () => {
  const log = (await adminCall(emu.url, "GET", "/requests")) as {
    requests: Array<{ method: string; path: string }>;
  };
  await emu.close();
  // A plan reads what a push reads (agents' do-not-call dispositions: the calls listing and a
  // campaign's codes for a reason's name; the campaign's own hours): reads only, nothing written.
  expect(log.requests.filter((r) => r.path !== "/oauth/token" && r.method !== "GET")).toEqual([]);
  expect(log.requests.some((r) => /\/outbound\/calls$/.test(r.path))).toBe(true);
});

describe("cxo strategy", () => {
  it.each(CASES.map((c, i) => [c.name, i] as const))("%s", (_name, i) => {
    const c = CASES[i] as (typeof CASES)[number];
    const result = results[i] as CliResult;
    expect(result.code, result.stderr).toBe(c.code);
    if (c.stderr) {
      expect(result.stderr).toMatch(c.stderr);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    if (c.out) expect(existsSync(file(c.out))).toBe(true);
  });

  it("writes a valid model and a valid plan, and nothing for refused input", () => {
    const model = modelSchema.parse(JSON.parse(readFileSync(file("model.json"), "utf8")));
    expect(model.learnedFrom).toMatchObject({ records: 2, skipped: 1, source: "history" });
    const rows = readFileSync(file("plan.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((l) => planRowSchema.parse(JSON.parse(l)));
    expect(rows).toHaveLength(4);
    expect(readFileSync(file("plan.csv"), "utf8").split("\n")[0]).toBe(
      "recordId,phone,accountId,attemptAt,zone,slot,attempt,estimate,interval,ruledOut,campaign,staleMinutes,zip,kind,state,lastTransactionAt,numberType,voice,announcement,discloses,accountIds,consent",
    );
    // --report: learn → the model's heat map; plan → also attempts per hour against capacity and the rules.
    const learned = readFileSync(file("model.html"), "utf8");
    expect(learned).toContain("Contact strategy: campaign C1");
    expect(learned.match(/<table class="heat">/g)).toHaveLength(2);
    expect(learned).not.toContain("Planned attempts per hour");
    const planned = readFileSync(file("plan.html"), "utf8");
    expect(planned).toContain("Planned attempts per hour against capacity");
    expect(planned).toContain("capacity 3 attempts/hour");
    expect(planned).toContain("Outside the calling hours");
    // The UTC chart's bars (the local-hour chart after it has its own).
    const utcChart = planned.slice(planned.indexOf("Planned attempts per hour against capacity"));
    const utcSvg = utcChart.slice(0, utcChart.indexOf("</svg>"));
    const bars = [...utcSvg.matchAll(/<rect [^>]*height="([\d.]+)"/g)].filter((m) => Number(m[1]) > 0);
    // one bar per hour (an instant: 18:00 in Miami and 18:00 in Oklahoma City are two hours)
    expect(bars).toHaveLength(new Set(rows.map((r) => Date.parse(r.attemptAt))).size);
    // Issue 64 §2: the plan states the lift measured on held-out weeks, or that it cannot yet (a
    // two-record history holds no weeks to hold out) — in the summary, --json-able, and the report.
    const plan = results[CASES.findIndex((c) => c.name === "plan")] as CliResult;
    expect(plan.stdout).toMatch(
      /^expected lift: cannot be estimated yet \(\d+ days of history; it needs 28: 14 to learn from and 14 held out\)$/m,
    );
    expect(planned).toContain("Expected lift: cannot be estimated yet (");
    const noHistory = results[CASES.findIndex((c) => c.name === "plan csv")] as CliResult;
    expect(noHistory.stdout).toMatch(
      /^expected lift: cannot be estimated yet \(no outcome history given: --history FILE/m,
    );
    const left = readdirSync(dir).filter((f) => f.startsWith("bad") || f.includes(".partial"));
    expect(left).toEqual([]);
  });
});
