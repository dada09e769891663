import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";

/**
 * A command's delivery of its events before exit is the command's own: one that opted out (`cxo
 * serve`, whose dispatcher delivers) must not leave the next command run in the same process
 * (an embedding program, the test suite's warm `cxo` hosts) silently not delivering. A serve
 * refused for its --port opted out and returned 2; the tag after it printed nothing, delivered
 * nothing (CI saw the newcomer test fail so when a warm host had run such a serve first).
 */
let emu: RunningEmulator;
const received: string[] = [];
const receiver = createServer((request, response) => {
  let body = "";
  request.on("data", (chunk: Buffer) => (body += chunk.toString()));
  request.on("end", () => {
    received.push(body);
    response.writeHead(204).end();
  });
});

beforeAll(async () => {
  emu = await startEmulator({ port: 0, calls: 20, metricsIntervalMs: 0 });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  receiver.close();
  await emu.close();
});

it("a serve that opted out and failed does not stop the next command in the process from delivering its events", async () => {
  const client = emu.fixtures.clients[0];
  const call = emu.fixtures.calls[0];
  if (!client || !call) throw new Error("fixtures");
  const saved = { ...process.env };
  Object.assign(process.env, {
    CXONE_BASE_URL: emu.url,
    CXONE_CLIENT_ID: client.clientId,
    CXONE_CLIENT_SECRET: client.clientSecret,
    CXO_DATA_DIR: path.join(mkdtempSync(path.join(tmpdir(), "cxo-exit-delivery-")), ".cxo"),
    CXO_DEST_BI_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/bi`,
  });
  const stderr: string[] = [];
  const writes = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
  const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    expect(await main(["serve", "--port", "not-a-port"])).toBe(2);
    expect(
      await main(["tag", "--campaign", call.campaignId, "--call", call.id, "--disposition", "BUSY"]),
    ).toBe(0);
  } finally {
    writes.mockRestore();
    out.mockRestore();
    // Put back on the process's own environment object (a replacement would not reach it).
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    process.exitCode = undefined;
  }
  expect(
    received.some((body) => body.includes(call.id)),
    stderr.join(""),
  ).toBe(true);
  expect(stderr.join("")).toMatch(/webhooks: 1 delivered/);
});
