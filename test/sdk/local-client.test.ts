import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectionMissingError, createClient, isSdkError } from "../../src/index.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * One local client: `createClient` without a connection gives a client whose local work (the
 * consent ledger, a check from the store, the report) runs, and whose CXone calls refuse with one
 * stable code, `connection_missing`, naming the missing setting, before anything is opened or
 * sent. The CLI builds the same client where no connection is configured: its CXone commands still
 * exit 2 naming the setting, and its local commands take the same path as with a connection.
 */
let clock: ReturnType<typeof pinClock>;
const cwd = mkdtempSync(path.join(tmpdir(), "cxo-local-client-"));
const REVOKED = "+12124000007";

beforeAll(() => {
  clock = pinClock("2026-12-02T15:00:00Z");
});
afterAll(() => clock?.restore());

describe("a client without a connection", () => {
  it("records, reports and judges from its store; its CXone calls refuse with connection_missing", async () => {
    const dataDir = path.join(cwd, "sdk");
    const cxo = createClient({ dataDir, actor: "test:local" });
    try {
      expect(cxo.connection).toEqual({ platform: "none", missing: "connection" });
      const revoked = await cxo.consent.revoke({ phone: REVOKED, channel: "sms" });
      expect(revoked.added).toBe(true);
      expect(revoked.entry.phone).toBe(REVOKED);

      const report = await cxo.consent.report();
      expect(report).toMatchObject({ revocations: 1, checked: { listing: "none" } });

      const verdict = await cxo.compliance.check({ phone: REVOKED, consent: true });
      expect(verdict.allowed).toBe(false);
      expect(verdict.reasons.map((r) => r.code)).toContain("consent_revoked");
      expect(verdict.cxoneDnc).toBeNull();
      expect(verdict.dispositions).toBeNull();

      // Honour's local part runs; nothing could be sent, and the answer says what is missing.
      const honoured = await cxo.consent.honour();
      expect(honoured?.sent).toBe(0);
      expect(honoured?.notSent?.missing.setting).toBe("connection");
      expect(honoured?.notSent?.waiting.noGroup).toBe(1);

      // What needs CXone refuses with the stable code, naming the setting.
      const refused = await cxo.campaigns.get("c-1").catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ConnectionMissingError);
      expect(isSdkError(refused) && refused.code).toBe("connection_missing");
      expect((refused as ConnectionMissingError).setting).toBe("connection");
      const evidence = await cxo.compliance
        .evidence({
          campaignId: "c-1",
          from: "2026-12-01T00:00:00Z",
          to: "2026-12-02T00:00:00Z",
          out: path.join(cwd, "evidence.ndjson"),
        })
        .catch((error: unknown) => error);
      expect((evidence as ConnectionMissingError).code).toBe("connection_missing");
      expect(existsSync(path.join(cwd, "evidence.ndjson"))).toBe(false);
    } finally {
      await cxo.close();
    }
  });

  it("a connection that is not an object is still bad input", () => {
    expect(() => createClient({ connection: null as never, dataDir: path.join(cwd, "bad") })).toThrow(
      /connection: must be an object/,
    );
  });
});

describe("the CLI's client without a connection", () => {
  const env = () => ({ CXO_DATA_DIR: path.join(cwd, "cli"), ...cliClockEnv() });
  const cxo = (args: string[]) => runCli(["--json", ...args], env(), { cwd });

  it("runs local commands through it and refuses CXone ones with exit 2 naming the setting", async () => {
    expect((await cxo(["consent", "revoke", "--phone", REVOKED])).code).toBe(0);
    const check = await cxo(["compliance", "check", "--phone", REVOKED, "--consent", "yes"]);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ allowed: false, cxoneDnc: null, dispositions: null });

    // A CXone read through the local client (evidence of a campaign): refused, nothing written.
    const out = path.join(cwd, "cli-evidence.ndjson");
    const evidence = await cxo([
      "compliance",
      "evidence",
      "--campaign",
      "c-1",
      "--from",
      "2026-12-01T00:00:00Z",
      "--to",
      "2026-12-02T00:00:00Z",
      "--out",
      out,
    ]);
    expect(evidence.code).toBe(2);
    expect(evidence.stderr).toMatch(/^error: cxone\.baseUrl: is required to talk to CXone/);
    expect(existsSync(out)).toBe(false);

    // A command that is all CXone: refused at once, as before (exit 2 naming the setting).
    const status = await cxo(["campaigns", "status", "c-1"]);
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(/^error: cxone\.baseUrl: is required to talk to CXone/);
  });
});

describe("who is acting: one rule for the CLI and the SDK", () => {
  it("a name in any script, and a role of 128 characters beside the person, are actors; a control character or a bidirectional override is not", async () => {
    // The SDK took printable ASCII only, 128 characters with the person: `cli:josé@host` and a
    // long role beside the CLI's person failed every command that builds a client.
    const dataDir = path.join(cwd, "actors");
    const named = createClient({ dataDir, actor: "cli:josé@hôte as cron:nächtlich" });
    try {
      const revoked = await named.consent.revoke({ phone: "+12124000011", channel: "sms" });
      expect(revoked.entry.recordedBy).toBe("cli:josé@hôte as cron:nächtlich");
    } finally {
      await named.close();
    }
    for (const actor of ["ops\n#99 forged line", "cron:\u202enight", " ", "x".repeat(513)]) {
      const error = (() => {
        try {
          createClient({ dataDir, actor });
        } catch (e) {
          return e as { code?: string; problems?: Array<{ field: string }> };
        }
      })();
      expect(error, JSON.stringify(actor)).toMatchObject({
        code: "invalid_input",
        problems: [{ field: "actor" }],
      });
    }

    const env = { CXO_DATA_DIR: path.join(cwd, "actors-cli"), ...cliClockEnv() };
    const role = `cron:${"ä".repeat(123)}`;
    const run = await runCli(
      ["--json", "--actor", role, "consent", "revoke", "--phone", "+12124000012"],
      env,
      {
        cwd,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).entry.recordedBy).toMatch(new RegExp(` as ${role}$`));
    const bidi = await runCli(
      ["--actor", "cron:\u202enight", "consent", "revoke", "--phone", "+12124000013"],
      env,
      {
        cwd,
      },
    );
    expect(bidi.code).toBe(2);
    expect(bidi.stderr).toContain("--actor");
  });
});
