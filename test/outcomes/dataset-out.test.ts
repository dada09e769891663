import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { inTurn, runCli } from "../support/run-cli.ts";

/**
 * Issue 44 §3: every filesystem problem with a Parquet dataset's `--out` is exit 2 naming
 * `--out`, before anything is fetched, and no path spins (Node's recursive mkdir under /proc).
 */
let emulator: RunningEmulator;
let env: Record<string, string>;
let campaign = "";

beforeAll(async () => {
  emulator = (await startEmulator({ port: 0, calls: 50, metricsIntervalMs: 0 })) as RunningEmulator;
  const client = emulator.fixtures.clients[0]!;
  campaign = emulator.fixtures.campaigns[0]!.id;
  env = {
    CXONE_BASE_URL: emulator.url,
    CXONE_CLIENT_ID: client.clientId,
    CXONE_CLIENT_SECRET: client.clientSecret,
    CXO_DATA_DIR: mkdtempSync(path.join(tmpdir(), "cxo-dsout-data-")),
  };
});
afterAll(() => emulator.close());

describe("a Parquet --out that cannot hold a dataset", () => {
  it("a regular file, a dangling symbolic link, a path under /proc or below a file: exit 2 naming --out, nothing fetched", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-dsout-"));
    const file = path.join(dir, "a-file");
    writeFileSync(file, "x");
    const dangling = path.join(dir, "dangling");
    symlinkSync(path.join(dir, "missing-target"), dangling);
    mkdirSync(path.join(dir, "ok"));
    const outs: Array<[string, RegExp]> = [
      [file, /is not a directory/],
      [dangling, /symbolic link to a path that does not exist/],
      ["/proc/self/", /is under \/proc, which is not storage/],
      [path.join(file, "below"), /is not a directory/],
    ];
    await adminCall(emulator.url, "DELETE", "/requests");
    const hour = 3_600_000;
    const window = [
      "--from",
      new Date(Date.now() - 48 * hour).toISOString(),
      "--to",
      new Date(Date.now() - hour).toISOString(),
    ];
    const runs = await inTurn(
      outs.map(
        ([out]) =>
          () =>
            runCli(
              ["outcomes", "export", "--campaign", campaign, ...window, "--format", "parquet", "--out", out],
              env,
              {
                timeoutMs: 30_000,
              },
            ),
      ),
    );
    runs.forEach((run, i) => {
      expect(run.code, `${outs[i]![0]}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain("--out");
      expect(run.stderr).toMatch(outs[i]![1]);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
    const log = (await adminCall(emulator.url, "GET", "/requests")) as { requests: Array<{ path: string }> };
    expect(log.requests.filter((r) => r.path.includes("/outbound/calls"))).toEqual([]);
  });
});

describe("a Parquet dataset never writes through a linked partition directory (issue 63 N5)", () => {
  const hour = 3_600_000;
  const from = new Date(Date.now() - 96 * hour);
  const window = ["--from", from.toISOString(), "--to", new Date(Date.now() - hour).toISOString()];
  const day = (offsetDays: number) =>
    new Date(from.getTime() + offsetDays * 24 * hour).toISOString().slice(0, 10);
  const victim = () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-victim-"));
    mkdirSync(path.join(dir, `date=${day(1)}`));
    writeFileSync(path.join(dir, "part-00000.parquet"), "the victim's own bytes");
    writeFileSync(path.join(dir, `date=${day(1)}`, "part-00000.parquet"), "the victim's own bytes");
    return dir;
  };
  const untouched = (dir: string) => {
    expect(readdirSync(dir).sort()).toEqual([`date=${day(1)}`, "part-00000.parquet"]);
    expect(readdirSync(path.join(dir, `date=${day(1)}`))).toEqual(["part-00000.parquet"]);
    expect(readFileSync(path.join(dir, "part-00000.parquet"), "utf8")).toBe("the victim's own bytes");
    expect(readFileSync(path.join(dir, `date=${day(1)}`, "part-00000.parquet"), "utf8")).toBe(
      "the victim's own bytes",
    );
  };
  const exportTo = (out: string) =>
    runCli(
      ["outcomes", "export", "--campaign", campaign, ...window, "--format", "parquet", "--out", out],
      env,
      {
        timeoutMs: 30_000,
      },
    );

  it("campaign=C is a link: exit 2 naming --out; the link's target is untouched", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "cxo-dslink-"));
    const target = victim();
    symlinkSync(target, path.join(out, `campaign=${campaign}`));
    const run = await exportTo(out);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/--out: .*campaign=.* is a symbolic link/);
    untouched(target);
  });

  it("date=D is a link: exit 2 naming --out; the link's target is untouched", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "cxo-dslink-"));
    const target = victim();
    mkdirSync(path.join(out, `campaign=${campaign}`));
    symlinkSync(
      path.join(target, `date=${day(1)}`),
      path.join(out, `campaign=${campaign}`, `date=${day(1)}`),
    );
    symlinkSync(target, path.join(out, `campaign=${campaign}`, `date=${day(2)}`));
    const run = await exportTo(out);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/--out: .*date=.* is a symbolic link/);
    untouched(target);
  });

  it("a scheduled export (exportDays) refuses the same, the target untouched", async () => {
    const { exportDays } = await import("../../src/service/scheduled-exports.ts");
    const { exportHostOf } = await import("../../src/sdk/export-host.ts");
    const { clientOptionsFromSettings, createInternalClient } = await import("../../src/client.ts");
    const { settingsSchema } = await import("../../src/core/config/schema.ts");
    const { openStore } = await import("../../src/core/store/index.ts");
    const { pino } = await import("pino");
    const out = mkdtempSync(path.join(tmpdir(), "cxo-dslink-"));
    const target = victim();
    symlinkSync(target, path.join(out, `campaign=${campaign}`));
    const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-dslink-data-"));
    const settings = settingsSchema.parse({
      cxone: {
        baseUrl: env.CXONE_BASE_URL,
        clientId: env.CXONE_CLIENT_ID,
        clientSecret: env.CXONE_CLIENT_SECRET,
      },
      dataDir,
    });
    const client = createInternalClient(clientOptionsFromSettings(settings));
    const store = await openStore(dataDir, { actor: "test" });
    const errors: string[] = [];
    const logger = pino({ level: "error" }, { write: (line: string) => void errors.push(line) });
    try {
      const config = {
        campaign,
        outDir: out,
        format: "parquet",
        lookbackMinutes: 4 * 1440,
        everyMinutes: 60,
      };
      await exportDays(config as never, exportHostOf(client), store, logger, new AbortController().signal);
    } finally {
      await store.close();
      await client.close();
    }
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join("\n")).toMatch(/is a symbolic link/);
    untouched(target);
  });
});
