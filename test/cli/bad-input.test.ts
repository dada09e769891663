import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * The CLI's bad-input suite: what a careful newcomer types wrong. Every case must exit 2 with
 * a short message on stderr naming the field (or file) and the rule — no stack trace, nothing
 * on stdout — and, for all of them together, the emulator's request log must stay EMPTY: not
 * even a token request reached CXone. Cases run concurrently (each is one CLI start-up).
 */
interface Case {
  /** The arguments; `dir` is a fresh temp dir of this case (its data dir is dir/.cxo). */
  args: (dir: string) => string[];
  /** What stderr must contain (the field or file, and the rule). */
  stderr: RegExp;
  /** Files to create first, relative to dir (a string: a file; null: a directory). */
  files?: Record<string, string | null>;
  env?: (dir: string) => Record<string, string>;
}

let emu: RunningEmulator;
let env: (dir: string) => Record<string, string>;

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
});

afterAll(async () => {
  // The proof for every case at once: nothing reached the emulator, not even a token request.
  const log = (await adminCall(emu.url, "GET", "/requests")) as { requests: unknown[] };
  await emu.close();
  expect(log.requests).toEqual([]);
});

const CASES: Record<string, Case> = {
  // Security 4: the emulator's admin API serves client secrets without auth.
  "emulator start on a public address": {
    args: () => ["emulator", "start", "--port", "0", "--host", "0.0.0.0"],
    stderr: /--host: 0\.0\.0\.0 is not a loopback address.*--allow-remote/,
  },
  "emulator start on a LAN address": {
    args: () => ["emulator", "start", "--port", "0", "--host", "192.168.1.20"],
    stderr: /--host: 192\.168\.1\.20 is not a loopback address/,
  },
  "emulator start on a DNS name": {
    args: () => ["emulator", "start", "--port", "0", "--host", "emulator.example.com"],
    stderr: /--host: emulator\.example\.com is not a loopback address/,
  },
  // Security 2: anchors need their key, and a readable anchor file.
  "audit anchor without the anchor key": {
    args: () => ["audit", "anchor"],
    stderr: /audit\.anchorKey: is required.*CXO_AUDIT_ANCHOR_KEY/,
  },
  "audit verify --anchor with a missing file": {
    args: (dir) => ["audit", "verify", "--anchor", path.join(dir, "nope.jsonl")],
    stderr: /--anchor: cannot read ".*nope\.jsonl" \(ENOENT\)/,
    env: () => ({ CXO_AUDIT_ANCHOR_KEY: "k".repeat(20) }),
  },
  "audit verify --anchor with a file that is not anchors": {
    args: (dir) => ["audit", "verify", "--anchor", path.join(dir, "a.jsonl")],
    files: { "a.jsonl": '{"seq":1}\n' },
    stderr: /--anchor: ".*a\.jsonl" line 1 is not a cxo audit anchor/,
    env: () => ({ CXO_AUDIT_ANCHOR_KEY: "k".repeat(20) }),
  },
  "audit verify --anchor without the anchor key": {
    args: (dir) => ["audit", "verify", "--anchor", path.join(dir, "a.jsonl")],
    files: {
      "a.jsonl": `${JSON.stringify({ kind: "cxo.audit.anchor", version: 1, seq: 1, hash: "x", at: "2026-01-01T00:00:00Z", keyId: "k", signature: "s" })}\n`,
    },
    stderr: /audit\.anchorKey: is required/,
  },
  "an anchor key that is too short": {
    args: () => ["audit", "anchor"],
    stderr: /audit\.anchorKey: must be at least 16 characters/,
    env: () => ({ CXO_AUDIT_ANCHOR_KEY: "short" }),
  },
  // Item 13: messages that say what is actually wrong.
  "--at a date that does not exist": {
    args: () => ["compliance", "check", "--phone", "+12125550100", "--at", "2026-02-30T10:00:00-05:00"],
    stderr: /--at: "2026-02-30T10:00:00-05:00" is not a real date or time/,
  },
  "--at without a zone": {
    args: () => ["compliance", "check", "--phone", "+12125550100", "--at", "2026-03-02T10:00:00"],
    stderr: /--at: must be an ISO-8601 date-time WITH an offset or Z.*naive/,
  },
  "--at that is not a date": {
    args: () => ["compliance", "check", "--phone", "+12125550100", "--at", "tomorrow"],
    stderr: /--at: "tomorrow" is not an ISO 8601 date-time/,
  },
  "outcomes export --from x": {
    args: () => ["outcomes", "export", "--campaign", "c1", "--from", "x", "--to", "2026-01-02T00:00:00Z"],
    stderr: /--from: "x" is not an ISO 8601 date-time/,
  },
  "outcomes export --to on February 30th": {
    args: () => [
      "outcomes",
      "export",
      "--campaign",
      "c1",
      "--from",
      "2026-02-01T00:00:00Z",
      "--to",
      "2026-02-30T00:00:00Z",
    ],
    stderr: /--to: "2026-02-30T00:00:00Z" is not a real date or time/,
  },
  'config timeoutMs: "fast"': {
    args: () => ["auth", "check"],
    files: { "cxo.config.yaml": "http:\n  timeoutMs: fast\n" },
    stderr: /http\.timeoutMs: must be a number \(got "fast"\)/,
  },
  "config maxAttempts: a list": {
    args: () => ["auth", "check"],
    files: { "cxo.config.yaml": "http:\n  maxAttempts: [1, 2]\n" },
    stderr: /http\.maxAttempts: must be a number \(got \[1,2\]\)/,
  },
  "config service.allowUnsignedWebhooks: a string": {
    args: () => ["serve", "--port", "0"],
    files: { "cxo.config.yaml": 'service:\n  allowUnsignedWebhooks: "yes"\n' },
    stderr: /service\.allowUnsignedWebhooks: must be a boolean \(got "yes"\)/,
  },
  "config service.allowedHosts with a URL": {
    args: () => ["serve", "--port", "0"],
    files: { "cxo.config.yaml": 'service:\n  allowedHosts: ["http://x.example/"]\n' },
    stderr: /service\.allowedHosts\.0: a host name, \*\.domain or \*/,
  },
};

describe("cxo with bad input: exit 2, one clear message, nothing sent", () => {
  it.concurrent.for(Object.entries(CASES))("%s", async ([, c], { expect }) => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-bad-"));
    for (const [name, content] of Object.entries(c.files ?? {})) {
      const file = path.join(dir, name);
      if (content === null) mkdirSync(file, { recursive: true });
      else writeFileSync(file, content);
    }
    const result = await runCli(c.args(dir), { ...env(dir), ...c.env?.(dir) }, { cwd: dir });
    expect(result.stderr).toMatch(c.stderr);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stdout).toBe("");
  });
});
