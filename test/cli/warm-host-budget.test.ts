import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * The tests' warm `cxo` hosts (test/support/cli-host.ts) run commands one after another in one
 * process; each must start as a new `cxo` process does, with no rate budget spent. The
 * per-tenant limiters are process state: a host that kept them made a later command wait out an
 * earlier one's per-minute window, which a user's separate processes never do (three first
 * reads of agents' dispositions, 35 pages each, and the third command waited 56 s).
 */
let emu: RunningEmulator;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, metricsIntervalMs: 0 });
  const client = emu.fixtures.clients[0];
  if (!client) throw new Error("no client");
  dir = mkdtempSync(path.join(tmpdir(), "cxo-warm-host-"));
  // One disposition read a minute: a second command in the same minute would wait for it.
  writeFileSync(
    path.join(dir, "cxo.config.yaml"),
    "rateLimits:\n  dispositions: { limit: 1, per: minute }\n",
  );
  env = {
    CXONE_BASE_URL: emu.url,
    CXONE_CLIENT_ID: client.clientId,
    CXONE_CLIENT_SECRET: client.clientSecret,
    CXO_DATA_DIR: path.join(dir, ".cxo"),
  };
});
afterAll(() => emu.close());

describe("a warm cxo host", () => {
  it("starts every command with no rate budget spent, as a new process does", async () => {
    const campaign = emu.fixtures.campaigns[0]?.id;
    if (!campaign) throw new Error("no campaign");
    await adminCall(emu.url, "DELETE", "/requests");
    for (let i = 0; i < 3; i++) {
      // The timeout only catches the wait (a minute) a kept budget would impose.
      const codes = await runCli(["--json", "dispositions", "codes", "--campaign", campaign], env, {
        cwd: dir,
        timeoutMs: 15_000,
      });
      expect(codes.code, `command ${i + 1}: ${codes.stderr}`).toBe(0);
    }
    const log = (await adminCall(emu.url, "GET", "/requests")) as { requests: Array<{ path: string }> };
    expect(log.requests.filter((r) => r.path.endsWith("/dispositioncodes"))).toHaveLength(3);
  });
});
