import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * The CLI's bad-input suite: what a careful newcomer types wrong. Every case must exit 2 with
 * a short message on stderr naming the field (or file) and the rule — no stack trace, nothing
 * on stdout — and, for all of them together, the emulator's request log must stay EMPTY: not
 * even a token request reached CXone.
 *
 * The cases go through the CLI's real entry point (`main(argv)`, what bin/cxo.js runs), each
 * with its own environment, working directory and output, but many per Node process (two
 * lanes of warm `cxo` hosts; test/support/run-cli-batch.ts): a process start costs far more
 * than a case, and ~90 of them would take minutes on a loaded machine. What only a fresh
 * process shows (pipes, stdin, signals) is tested with real processes in newcomer.test.ts.
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

/** A window inside CXone's 90-day retention, ending a minute ago. */
const RECENT = [
  "--from",
  new Date(Date.now() - 2 * 86_400_000).toISOString(),
  "--to",
  new Date(Date.now() - 60_000).toISOString(),
];

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
    stderr: /--at: has no time zone: add Z or an offset/,
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
  "dialer metrics --from x": {
    args: () => ["dialer", "metrics", "--campaign", "c1", "--from", "x"],
    stderr: /--from: "x" is not an ISO 8601 date-time/,
  },
  "dialer metrics --to on February 30th": {
    args: () => ["dialer", "metrics", "--campaign", "c1", "--to", "2026-02-30T00:00:00Z"],
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
  // Item 6: a data dir the store cannot use names dataDir and what to do (before any request).
  "data dir that is a file (audit verify)": {
    args: () => ["audit", "verify"],
    files: { ".cxo": "not a directory" },
    stderr: /dataDir: ".*\.cxo" is a file, not a directory.*--data-dir, CXO_DATA_DIR/,
  },
  "data dir that is a file (tag --call)": {
    args: () => ["tag", "--campaign", "c1", "--call", "call-1", "--disposition", "BUSY"],
    files: { ".cxo": "not a directory" },
    stderr: /dataDir: ".*\.cxo" is a file, not a directory/,
  },
  "data dir under a file": {
    args: (dir) => ["--data-dir", path.join(dir, "f", "sub"), "outbox", "status"],
    files: { f: "a file" },
    stderr: /dataDir: ".*f\/sub" is a file, not a directory \(or sits under one\)/,
  },
  "data dir holding a corrupt store": {
    args: () => ["audit", "verify"],
    files: { ".cxo/cxo.sqlite": "this is not a database at all. ".repeat(200) },
    stderr:
      /dataDir: ".*\.cxo" holds a corrupt store \(cxo\.sqlite: file is not a database\): move cxo\.sqlite.*backup/,
  },
  "data dir on a read-only file system": {
    args: () => ["--data-dir", "/sys/cxo-bad-input-test", "outbox", "status"],
    stderr: /dataDir: "\/sys\/cxo-bad-input-test" cannot be created or written \(EPERM\)/,
  },

  // Item 5: unreadable input files — exit 2, one line naming the file, before any request.
  "tag --file that does not exist (csv)": {
    args: () => ["tag", "--campaign", "c1", "--file", "nope.csv"],
    stderr: /--file: cannot read "nope\.csv": no such file/,
  },
  "tag --file that does not exist (ndjson)": {
    args: () => ["tag", "--campaign", "c1", "--file", "nope.ndjson"],
    stderr: /--file: cannot read "nope\.ndjson": no such file/,
  },
  "tag --file that is a directory": {
    args: () => ["tag", "--campaign", "c1", "--file", "x.csv"],
    files: { "x.csv": null },
    stderr: /--file: cannot read "x\.csv": it is a directory/,
  },
  "tag --file under a file": {
    args: () => ["tag", "--campaign", "c1", "--file", "f/rows.csv"],
    files: { f: "a file" },
    stderr: /--file: cannot read "f\/rows\.csv": a part of the path is a file/,
  },
  "tag --file with an unknown extension": {
    args: () => ["tag", "--campaign", "c1", "--file", "rows.txt"],
    files: { "rows.txt": "callId\n" },
    stderr: /--file: must end in \.csv, \.ndjson or \.jsonl/,
  },
  "campaigns create --spec that does not exist": {
    args: () => ["campaigns", "create", "--spec", "nope.yaml"],
    stderr: /--spec: cannot read "nope\.yaml"/,
  },
  "campaigns create --spec that is a directory": {
    args: () => ["campaigns", "create", "--spec", "spec.yaml"],
    files: { "spec.yaml": null },
    stderr: /--spec: cannot read "spec\.yaml"/,
  },
  "campaigns create --spec of the wrong kind": {
    args: () => ["campaigns", "create", "--spec", "spec.txt"],
    files: { "spec.txt": "name: x\n" },
    stderr: /--spec: must be a \.yaml, \.yml or \.json file/,
  },
  "campaigns create --spec that is not YAML": {
    args: () => ["campaigns", "create", "--spec", "bad.yaml"],
    files: { "bad.yaml": "a: [\n" },
    stderr: /--spec: "bad\.yaml" is not valid yaml/,
  },
  "dialer validate --config that does not exist": {
    args: () => ["dialer", "validate", "--config", "nope.yaml"],
    stderr: /--config: cannot read "nope\.yaml"/,
  },
  "dialer validate --config that is not YAML": {
    args: () => ["dialer", "validate", "--config", "bad.yaml"],
    files: { "bad.yaml": "a: [\n" },
    stderr: /--config: "bad\.yaml" is not valid yaml/,
  },
  "dialer apply --config that does not exist": {
    args: () => ["dialer", "apply", "--config", "nope.json"],
    stderr: /--config: cannot read "nope\.json"/,
  },
  "outcomes verify a file that does not exist": {
    args: () => ["outcomes", "verify", "nope.ndjson", "--hash", "a".repeat(64)],
    stderr: /nope\.ndjson.*(not a readable file|cannot read)/,
  },
  // A directory is a Parquet dataset now (cxo outcomes verify DIR); a missing path is bad input.
  "outcomes verify a path that does not exist": {
    args: () => ["outcomes", "verify", "gone.csv", "--hash", "a".repeat(64)],
    stderr: /gone\.csv.*(not a readable file|cannot read)/,
  },
  "outcomes export --map that does not exist": {
    args: () => ["outcomes", "export", "--campaign", "c1", ...RECENT, "--map", "nope.yaml"],
    stderr: /--map: cannot read "nope\.yaml"/,
  },
  "campaigns contacts --dnc that does not exist": {
    args: () => ["campaigns", "contacts", "L1", "--dnc", "nope.txt"],
    stderr: /--dnc: cannot read.*nope\.txt/,
  },
  "a --config file that does not exist": {
    args: () => ["--config", "nope.yaml", "auth", "check"],
    stderr: /--config: file .*nope\.yaml does not exist/,
  },

  // Flags and arguments, command by command.
  "tag: a malformed campaign id": {
    args: () => ["tag", "--campaign", "bad id!", "--call", "c1", "--disposition", "BUSY"],
    stderr: /--campaign: must be/,
  },
  "tag: no --call and no --file": {
    args: () => ["tag", "--campaign", "c1"],
    stderr: /--call: is required \(or give --file\)/,
  },
  "tag: --call without --disposition": {
    args: () => ["tag", "--campaign", "c1", "--call", "c1"],
    stderr: /--disposition: is required with --call/,
  },
  "tag: --call with --file": {
    args: () => ["tag", "--campaign", "c1", "--call", "c1", "--disposition", "BUSY", "--file", "x.csv"],
    files: { "x.csv": "callId,dispositionCodeId\nc1,BUSY\n" },
    stderr: /--call: cannot be combined with --file/,
  },
  "tag: --concurrency 0": {
    args: () => ["tag", "--campaign", "c1", "--file", "x.csv", "--concurrency", "0"],
    files: { "x.csv": "callId,dispositionCodeId\nc1,BUSY\n" },
    stderr: /--concurrency: must be a whole number from 1 to 256/,
  },
  "tag: --concurrency abc": {
    args: () => ["tag", "--campaign", "c1", "--file", "x.csv", "--concurrency", "abc"],
    files: { "x.csv": "callId,dispositionCodeId\nc1,BUSY\n" },
    stderr: /--concurrency: must be a whole number/,
  },
  "tag: --dry-run without --file": {
    args: () => ["tag", "--campaign", "c1", "--call", "c1", "--disposition", "BUSY", "--dry-run"],
    stderr: /--dry-run: only applies to --file/,
  },
  "tag: --concurrency without --file": {
    args: () => ["tag", "--campaign", "c1", "--call", "c1", "--disposition", "BUSY", "--concurrency", "8"],
    stderr: /--concurrency: only applies to --file/,
  },
  "tag: --campaign without a value": {
    args: () => ["tag", "--campaign"],
    stderr: /--campaign <id>'? argument missing/,
  },
  "interactions set-disposition: a malformed id": {
    args: () => [
      "interactions",
      "set-disposition",
      "bad id!",
      "--code",
      "100",
      "--description",
      "x",
      "--agent",
      "a",
    ],
    stderr: /must be 1–128 letters/,
  },
  "interactions set-disposition: no --description": {
    args: () => ["interactions", "set-disposition", "i1", "--code", "100", "--agent", "a"],
    stderr: /--description: is required/,
  },
  "campaigns pause: a malformed id": {
    args: () => ["campaigns", "pause", "bad id!"],
    stderr: /must be an id|must be 1/,
  },
  "campaigns resume: a malformed id": {
    args: () => ["campaigns", "resume", "bad id!"],
    stderr: /must be an id|must be 1/,
  },
  "campaigns status: a malformed id": {
    args: () => ["campaigns", "status", "bad id!"],
    stderr: /must be an id|must be 1/,
  },
  "campaigns contacts: a malformed list id": {
    args: () => ["campaigns", "contacts", "bad id!"],
    stderr: /must be 1-128 letters|must be an id/,
  },
  "campaigns contacts: --at on February 30th": {
    args: () => ["campaigns", "contacts", "L1", "--at", "2026-02-30T00:00:00Z"],
    stderr: /--at: "2026-02-30T00:00:00Z" is not a real date or time/,
  },
  "campaigns contacts: --format xml": {
    args: () => ["campaigns", "contacts", "L1", "--format", "xml"],
    stderr: /--format: must be ndjson or csv/,
  },
  "campaigns contacts: --page-size 0": {
    args: () => ["campaigns", "contacts", "L1", "--page-size", "0"],
    stderr: /--page-size: must be a whole number/,
  },
  "campaigns watch: the same primary and backup": {
    args: () => ["campaigns", "watch", "--primary", "a", "--backup", "a"],
    stderr: /--backup: must differ from the primary/,
  },
  "campaigns watch: --threshold 2": {
    args: () => ["campaigns", "watch", "--primary", "a", "--backup", "b", "--threshold", "2"],
    stderr: /--threshold: must be less than 1/,
  },
  "campaigns watch: --interval-s 0": {
    args: () => ["campaigns", "watch", "--primary", "a", "--backup", "b", "--interval-s", "0"],
    stderr: /--interval-s: must be at least/,
  },
  "campaigns webhook register: an ftp URL": {
    args: () => ["campaigns", "webhook", "register", "--url", "ftp://x"],
    stderr: /--url: must be an http\(s\) URL/,
  },
  "compliance check: a short phone number": {
    args: () => ["compliance", "check", "--phone", "12345"],
    stderr: /--phone: must be a NANP number in E\.164 form/,
  },
  "compliance check: an unknown state": {
    args: () => ["compliance", "check", "--phone", "+12125550100", "--state", "ZZ"],
    stderr: /--state: must be a two-letter/,
  },
  "compliance check: no --phone": {
    args: () => ["compliance", "check"],
    stderr: /--phone: is required/,
  },
  "compliance dnc add: not a phone number": {
    args: () => ["compliance", "dnc", "add", "12345"],
    stderr: /must be a NANP number/,
  },
  "dialer validate: no --config": {
    args: () => ["dialer", "validate"],
    stderr: /--config: is required/,
  },
  "dialer simulate: --agents 0": {
    args: () => [
      "dialer",
      "simulate",
      "--agents",
      "0",
      "--aht-s",
      "100",
      "--answer-rate",
      "0.3",
      "--dial-ratio",
      "2",
    ],
    stderr: /--agents: must be a whole number from 1/,
  },
  "dialer simulate: --answer-rate 1.5": {
    args: () => [
      "dialer",
      "simulate",
      "--agents",
      "10",
      "--aht-s",
      "100",
      "--answer-rate",
      "1.5",
      "--dial-ratio",
      "2",
    ],
    stderr: /--answer-rate: must be from 0 to 1/,
  },
  "dialer erlang: an unknown model": {
    args: () => [
      "dialer",
      "erlang",
      "--model",
      "z",
      "--agents",
      "1",
      "--arrival-per-min",
      "1",
      "--aht-min",
      "1",
    ],
    stderr: /--model: must be one of/,
  },
  "dialer erlang: negative agents": {
    args: () => [
      "dialer",
      "erlang",
      "--model",
      "b",
      "--agents",
      "-1",
      "--arrival-per-min",
      "1",
      "--aht-min",
      "1",
    ],
    stderr: /--agents: must be a whole number/,
  },
  "dialer erlang a: no patience": {
    args: () => [
      "dialer",
      "erlang",
      "--model",
      "a",
      "--agents",
      "10",
      "--arrival-per-min",
      "1",
      "--aht-min",
      "1",
    ],
    stderr: /--patience-min: is required/,
  },
  "dialer metrics: an unknown metric": {
    args: () => ["dialer", "metrics", "--campaign", "c1", "--metrics", "bogus"],
    stderr: /--metrics: must be a comma list.*unknown: bogus/,
  },
  "outcomes export: start beyond the retention": {
    args: () => [
      "outcomes",
      "export",
      "--campaign",
      "c1",
      "--from",
      "2020-01-01T00:00:00Z",
      "--to",
      RECENT[3] as string,
    ],
    stderr: /--from: is older than CXone's 90-day retention/,
  },
  "outcomes verify: a bad hash": {
    args: () => ["outcomes", "verify", "x.ndjson", "--hash", "xyz"],
    files: { "x.ndjson": "{}\n" },
    stderr: /--hash: must be a SHA-256 hex digest/,
  },
  "audit tail -n 0": {
    args: () => ["audit", "tail", "-n", "0"],
    stderr: /--lines: must be a positive integer/,
  },
  "audit tail --interval-ms x": {
    args: () => ["audit", "tail", "--interval-ms", "x"],
    stderr: /--interval-ms: must be a positive integer/,
  },
  "audit export --format xml": {
    args: () => ["audit", "export", "--format", "xml"],
    stderr: /--format: must be jsonl or csv/,
  },
  "outbox replay without --dead or --id": {
    args: () => ["outbox", "replay"],
    stderr: /give --dead or --id/,
  },
  "outbox deliver --timeout-s 0": {
    args: () => ["outbox", "deliver", "--timeout-s", "0"],
    stderr: /--timeout-s: must be a positive number/,
  },
  "outbox deliver --concurrency 0": {
    args: () => ["outbox", "deliver", "--concurrency", "0"],
    stderr: /--concurrency: must be a positive integer/,
  },
  "serve --port 70000": {
    args: () => ["serve", "--port", "70000"],
    stderr: /--port: must be a whole number from 0 to 65535/,
  },
  "serve on a public address without a token": {
    args: () => ["serve", "--host", "0.0.0.0"],
    stderr: /--access-token: is required to listen on 0\.0\.0\.0/,
  },
  "serve with a short access token": {
    args: () => ["serve", "--access-token", "short"],
    stderr: /--access-token: must be at least 16 characters/,
  },
  "emulator start --port -1": {
    args: () => ["emulator", "start", "--port", "-1"],
    stderr: /--port: an integer from 0 to 65535/,
  },
  "emulator start --calls 0": {
    args: () => ["emulator", "start", "--calls", "0"],
    stderr: /--calls: an integer from 1/,
  },
  "emulator start --rate-limit-scale 0": {
    args: () => ["emulator", "start", "--rate-limit-scale", "0"],
    stderr: /--rate-limit-scale: a number above 0/,
  },
  "an ftp base URL": {
    args: () => ["--base-url", "ftp://x", "auth", "check"],
    stderr: /cxone\.baseUrl: must be an http\(s\) URL/,
  },
  "an unknown log level": {
    args: () => ["--log-level", "loud", "auth", "check"],
    stderr: /--log-level <level>'? argument 'loud' is invalid/,
  },
  "an unknown command": {
    args: () => ["frobnicate"],
    stderr: /unknown command 'frobnicate'/,
  },
  "auth check without a client secret": {
    args: () => ["auth", "check"],
    env: () => ({ CXONE_CLIENT_SECRET: "" }),
    stderr: /cxone\.clientSecret: is required/,
  },
  // Item 7/8: the output format follows --out's name, or a contradiction is refused.
  "outcomes export --out x.csv --format ndjson": {
    args: () => ["outcomes", "export", "--campaign", "c1", ...RECENT, "--out", "x.csv", "--format", "ndjson"],
    stderr: /--format: ndjson contradicts --out x\.csv/,
  },
  "campaigns contacts --out x.ndjson --format csv": {
    args: () => ["campaigns", "contacts", "L1", "--out", "x.ndjson", "--format", "csv"],
    stderr: /--format: csv does not match --out "x\.ndjson"/,
  },
  "outcomes export --out - with --json": {
    args: () => ["--json", "outcomes", "export", "--campaign", "c1", ...RECENT, "--out", "-"],
    stderr: /--out: - \(stdout\) cannot be used with --json/,
  },
  "outcomes export --out - with --resume": {
    args: () => ["outcomes", "export", "--campaign", "c1", ...RECENT, "--out", "-", "--resume"],
    stderr: /--resume: needs an --out file to resume/,
  },
  "campaigns contacts --out - with --json": {
    args: () => ["--json", "campaigns", "contacts", "L1", "--out", "-"],
    stderr: /--out: is required with --json/,
  },
};

const entries = Object.entries(CASES);
let results: CliResult[] = [];

describe("cxo with bad input: exit 2, one clear message, nothing sent", () => {
  beforeAll(async () => {
    const jobs = entries.map(([, c]) => {
      const dir = mkdtempSync(path.join(tmpdir(), "cxo-bad-"));
      for (const [name, content] of Object.entries(c.files ?? {})) {
        const file = path.join(dir, name);
        mkdirSync(path.dirname(file), { recursive: true });
        if (content === null) mkdirSync(file, { recursive: true });
        else writeFileSync(file, content);
      }
      return { args: c.args(dir), env: { ...env(dir), ...c.env?.(dir) }, cwd: dir };
    });
    results = await runCliBatch(jobs);
  }, 120_000);

  it("has at least 80 cases", () => {
    expect(entries.length).toBeGreaterThanOrEqual(80);
  });

  it("a single problem is one line on stderr (issue 20, item 5)", () => {
    for (const name of ["tag --file that does not exist (csv)", "data dir that is a file (audit verify)"]) {
      const result = results[entries.findIndex(([n]) => n === name)] as CliResult;
      expect(result.stderr.trimEnd().split("\n"), name).toHaveLength(1);
      expect(result.stderr).toMatch(/^error: (--file|dataDir): /);
    }
  });

  it.for(entries.map(([name, c], index) => [name, c, index] as const))("%s", ([, c, index]) => {
    const result = results[index] as CliResult;
    expect(result.stderr).toMatch(c.stderr);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stdout).toBe("");
  });
});
