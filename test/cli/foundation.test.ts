import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";
import {
  type ScriptedServer,
  startScriptedServer,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
} from "../support/scripted-server.ts";

let server: ScriptedServer;
let env: Record<string, string>;
const cwd = mkdtempSync(path.join(tmpdir(), "cxo-cli-"));

beforeAll(async () => {
  server = await startScriptedServer();
  server.setApi((request) =>
    request.path === "/api/v2/outbound/campaigns/camp-1/dispositioncodes"
      ? {
          status: 200,
          body: {
            dispositionCodes: [
              { id: "CONVERTED", name: "Converted", reasonCodes: [{ id: "R1", name: "Upsell" }] },
              { id: "BUSY", name: "Busy", reasonCodes: [] },
            ],
          },
        }
      : { status: 404, body: { message: "no such campaign" } },
  );
  env = {
    CXONE_BASE_URL: server.url,
    CXONE_CLIENT_ID: TEST_CLIENT_ID,
    CXONE_CLIENT_SECRET: TEST_CLIENT_SECRET,
  };
});
afterAll(() => server.close());

describe("cxo (foundation commands)", () => {
  it("auth check prints what the token grants, never the token or the secret", async () => {
    const result = await runCli(["auth", "check", "--json", "--log-level", "trace"], env, { cwd });
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({
      clientId: TEST_CLIENT_ID,
      scopes: ["outbound:campaign:read", "outbound:calls:read"],
      tokenType: "Bearer",
    });
    const output = result.stdout + result.stderr;
    expect(output).not.toContain(TEST_CLIENT_SECRET);
    for (const token of server.issued) expect(output).not.toContain(token);
  });

  it("dispositions codes prints the campaign's matrix as JSON", async () => {
    const result = await runCli(["dispositions", "codes", "--campaign", "camp-1", "--json"], env, { cwd });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      campaignId: "camp-1",
      codes: [
        { id: "CONVERTED", name: "Converted", reasonCodes: [{ id: "R1", name: "Upsell" }] },
        { id: "BUSY", name: "Busy", reasonCodes: [] },
      ],
    });
  });

  it("a campaign CXone does not know exits 2 (bad input, issue 52 §1) with CXone's own words on stderr", async () => {
    const result = await runCli(["dispositions", "codes", "--campaign", "nope"], env, { cwd });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/no such campaign/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("bad input exits 2, names the field and sends nothing", async () => {
    const before = server.requests.length;
    const result = await runCli(["dispositions", "codes", "--campaign", "bad id!"], env, { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--campaign: must be/);
    expect(server.requests.length).toBe(before);
  });

  it("a missing setting exits 2 naming it and how to set it, and sends nothing", async () => {
    const before = server.requests.length;
    const result = await runCli(
      ["auth", "check"],
      { CXONE_BASE_URL: server.url, CXONE_CLIENT_ID: "x" },
      { cwd },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cxone.clientSecret: is required.*--client-secret, CXONE_CLIENT_SECRET/);
    expect(server.requests.length).toBe(before);
  });

  it("an unknown option is bad input (exit 2)", async () => {
    const result = await runCli(["auth", "check", "--frobnicate"], env, { cwd });
    expect(result.code).toBe(2);
  });

  it("config show masks the client secret", async () => {
    const result = await runCli(["config", "show", "--json"], env, { cwd });
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.cxone.clientSecret).toBe("[REDACTED]");
    expect(result.stdout).not.toContain(TEST_CLIENT_SECRET);
  });
});
