import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { startEmulatorProcess } from "./support/emulator-process.ts";
import { benchModel, writeListCsv } from "./support/plan-list.ts";
import { parseTimeV, type TimeV } from "./support/time-v.ts";
import type { BenchRow } from "./types.ts";

/**
 * The plan's reads (issue 100 §3–4): `cxo strategy plan --campaign` of 60 records, in its own
 * `cxo` process under `/usr/bin/time -v`, against the production emulator (its own process)
 * holding a 100,000-contact warehouse over 30 days, at the production rate limit (60 outcome
 * pages a minute: no `rateLimitScale`, since waiting on that budget is what is measured). Each
 * configuration plans twice on one data dir: the first time on a fresh data dir, the second with
 * what the first read kept. Ours: the configured page size (default 10,000); the baseline, in the
 * same run, the page size cxo used before (1,000, set in cxo.config.yaml). Then a calling list of
 * PLAN_READS_DIALS dials (default 1,000,000; the emulator's `POST /_emulator/lists/:id/bulk-dials`)
 * is pushed, and the plan after it reads every dial of it. Goals: ≤ 15 s the first time, ≤ 5 s
 * the second. `npm run bench -- plan-reads`.
 */
const SUITE = "plan-reads";
const RECORDS = Number(process.env.PLAN_READS_RECORDS ?? 60);
const DIALS = Number(process.env.PLAN_READS_DIALS ?? 1_000_000);
/** A Monday 05:00 in New York: the plan's day starts before any calling hour opens. */
const CLOCK = "2026-12-07T10:00:00Z";
const CXO = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../bin/cxo.js");

interface Setup {
  url: string;
  env: Record<string, string>;
  skill: string;
  dir: string;
}

interface PlanRun {
  time: TimeV;
  /** `GET /contacts/completed` requests the command made, and the `top` they asked. */
  pages: number;
  tops: string[];
  attemptPages: number;
  load: number;
}

/**
 * `cxo ARGS` under `/usr/bin/time -v`, awaited without blocking this process's event loop (a
 * blocked loop lets the emulator close this process's idle keep-alive sockets unseen).
 */
async function cxo(args: string[], env: Record<string, string>): Promise<{ time: TimeV; stdout: string }> {
  const child = spawn("/usr/bin/time", ["-v", process.execPath, CXO, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (status !== 0)
    throw new Error(`cxo ${args.slice(0, 4).join(" ")} exited ${status}: ${stderr.slice(-3000)}`);
  return { time: parseTimeV(stderr), stdout };
}

interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
}

async function requests(url: string): Promise<LoggedRequest[]> {
  const body = (await (await fetch(`${url}/_emulator/requests`)).json()) as { requests: LoggedRequest[] };
  return body.requests;
}

async function setUp(label: string): Promise<Setup & { stop: () => void }> {
  const dir = mkdtempSync(path.join(tmpdir(), `cxo-bench-plan-reads-${label}-`));
  const { url, child } = await startEmulatorProcess([
    "--platform",
    "cxone",
    "--seed",
    "100",
    "--calls",
    "100000",
    "--days",
    "30",
    "--clock",
    CLOCK,
  ]);
  const fixtures = (await (await fetch(`${url}/_emulator/fixtures`)).json()) as {
    accessKeys: Array<{ accessKeyId: string; accessKeySecret: string; readOnly?: boolean }>;
    skills: Array<{ skillId: number }>;
  };
  const key = fixtures.accessKeys.find((k) => !k.readOnly)!;
  const skill = String(fixtures.skills[0]!.skillId);
  const env = {
    CXONE_PLATFORM: "cxone",
    CXONE_ISSUER: url,
    CXONE_ACCESS_KEY_URL: `${url}/authentication/v1/token/access-key`,
    CXONE_ACCESS_KEY_ID: key.accessKeyId,
    CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
    CXO_DATA_DIR: path.join(dir, ".cxo"),
    CXO_CLOCK: CLOCK,
  };
  writeFileSync(path.join(dir, "model.json"), JSON.stringify({ ...benchModel(), campaign: skill }));
  return {
    url,
    env,
    skill,
    dir,
    stop: () => {
      child.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function planOnce(setup: Setup, config: string, records: number, out: string): Promise<PlanRun> {
  const list = path.join(setup.dir, `list-${records}.csv`);
  writeListCsv(list, records);
  const before = (await requests(setup.url)).length;
  const load = loadavg()[0] as number;
  const { time } = await cxo(
    [
      "--config",
      config,
      "strategy",
      "plan",
      "--list",
      list,
      "--model",
      path.join(setup.dir, "model.json"),
      "--campaign",
      setup.skill,
      "--from",
      CLOCK,
      "--days",
      "1",
      "--capacity",
      "400000",
      "--out",
      out,
      "--json",
    ],
    setup.env,
  );
  const made = (await requests(setup.url)).slice(before);
  const completed = made.filter((r) => r.path.endsWith("/contacts/completed"));
  return {
    time,
    pages: completed.length,
    tops: [...new Set(completed.map((r) => String(r.query.top)))],
    attemptPages: made.filter((r) => r.path.endsWith("/attempts")).length,
    load,
  };
}

async function twoPlans(label: string, configText: string): Promise<[PlanRun, PlanRun]> {
  const setup = await setUp(label);
  try {
    const config = path.join(setup.dir, "cxo.config.yaml");
    writeFileSync(config, configText);
    const first = await planOnce(setup, config, RECORDS, path.join(setup.dir, "plan1.ndjson"));
    const second = await planOnce(setup, config, RECORDS, path.join(setup.dir, "plan2.ndjson"));
    return [first, second];
  } finally {
    setup.stop();
  }
}

/** A pushed list of DIALS dials (the emulator's admin route), then a plan that counts them. */
async function bigList(): Promise<{ push: TimeV; plan: PlanRun; dials: number }> {
  const setup = await setUp("list");
  try {
    const config = path.join(setup.dir, "cxo.config.yaml");
    writeFileSync(config, "");
    // A small push makes the list cxo reads; the emulator then records DIALS dials on it.
    const plan = path.join(setup.dir, "seed-plan.ndjson");
    await planOnce(setup, config, 10, plan);
    const pushed = await cxo(
      [
        "--config",
        config,
        "strategy",
        "push",
        "--plan",
        plan,
        "--campaign",
        setup.skill,
        "--fit-skill",
        "--json",
      ],
      setup.env,
    );
    const { listId } = JSON.parse(pushed.stdout) as { listId: string };
    // The dials spread over the five days before the plan: every one in the plan's 31-day window.
    const answer = await fetch(`${setup.url}/_emulator/lists/${listId}/bulk-dials`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        count: DIALS,
        from: new Date(Date.parse(CLOCK) - 6 * 86_400_000).toISOString(),
        stepSeconds: (5 * 86_400) / DIALS,
      }),
    });
    if (!answer.ok)
      throw new Error(`POST /_emulator/lists/${listId}/bulk-dials: ${answer.status} ${await answer.text()}`);
    const after = await planOnce(setup, config, RECORDS, path.join(setup.dir, "plan-after.ndjson"));
    return { push: pushed.time, plan: after, dials: DIALS };
  } finally {
    setup.stop();
  }
}

const describe = (run: PlanRun) =>
  `wall ${run.time.wallS.toFixed(1)} s, CPU ${run.time.cpuS.toFixed(1)} s, peak RSS ${run.time.rssMb.toFixed(0)} MB, ${run.pages} completed-contacts pages (top=${run.tops.join("/") || "-"}), ${run.attemptPages} attempts pages; load ${run.load.toFixed(1)}`;

export default async function planReadsBench(): Promise<BenchRow[]> {
  // PLAN_READS_ONLY=list: the list of DIALS dials alone.
  if (process.env.PLAN_READS_ONLY === "list") return bigListRows();
  const [first, second] = await twoPlans("ours", "");
  process.stderr.write(`  ours, first plan: ${describe(first)}\n  ours, second plan: ${describe(second)}\n`);
  const [baseFirst, baseSecond] = await twoPlans("base", "cxone:\n  productionApi:\n    pageSize: 1000\n");
  process.stderr.write(
    `  page size 1,000, first plan: ${describe(baseFirst)}\n  page size 1,000, second plan: ${describe(baseSecond)}\n`,
  );
  const rows: BenchRow[] = [
    {
      suite: SUITE,
      metric: `strategy plan of ${RECORDS} records, fresh data dir, 100,000-contact warehouse (${describe(first)})`,
      unit: "s",
      ours: first.time.wallS,
      baseline: baseFirst.time.wallS,
      baselineLabel: `page size 1,000: ${baseFirst.pages} pages`,
      target: "≤ 15 s",
      met: first.time.wallS <= 15,
    },
    {
      suite: SUITE,
      metric: `the same plan the second time (${describe(second)})`,
      unit: "s",
      ours: second.time.wallS,
      baseline: baseSecond.time.wallS,
      baselineLabel: `page size 1,000: ${baseSecond.pages} pages`,
      target: "≤ 5 s",
      met: second.time.wallS <= 5,
    },
  ];
  if (DIALS > 0) rows.push(...(await bigListRows()));
  return rows;
}

async function bigListRows(): Promise<BenchRow[]> {
  const big = await bigList();
  process.stderr.write(`  after a list of ${DIALS} dials: ${describe(big.plan)}\n`);
  return [
    {
      suite: SUITE,
      metric: `strategy plan of ${RECORDS} records after a pushed list of ${DIALS.toLocaleString("en-US")} dials (${describe(big.plan)}): peak RSS`,
      unit: "MB",
      ours: big.plan.time.rssMb,
      target: "read whole, ≤ 1 GB",
      met: big.plan.attemptPages >= Math.ceil(DIALS / 10_000) && big.plan.time.rssMb <= 1024,
    },
  ];
}
