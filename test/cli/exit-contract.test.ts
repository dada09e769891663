import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFullProgram } from "../../src/cli/main.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * The exit-code contract, for EVERY command (issue 64 §3): 0 ok, 1 the operation failed, 2 bad
 * input — and 2 means nothing was sent. The commands are read from the CLI's own command tree,
 * so a new command fails this test until it has its row: one representative bad input (exit 2,
 * nothing in the emulator's request log) and, where the command talks to CXone, one CXone
 * refusal injected with `POST /_emulator/faults` (exit 1, the refused request in the log).
 *
 * The bad inputs run through the warm batch runner (a Node start per command would cost
 * seconds each); the refusals one after another in the warm host, since each needs its own fault.
 */

interface Fixtures {
  campaign: string;
  call: string;
  interaction: string;
  list: string;
}

interface Row {
  /** A bad input: exits 2 naming it on stderr, sends nothing. */
  bad: { args: (f: Fixtures) => string[]; stderr: RegExp; files?: Record<string, string> };
  /**
   * A CXone refusal: the emulator answers the command's endpoint group with 503 (one attempt);
   * the command exits 1. `null` with the reason where the command does not talk to the seed API.
   */
  refused:
    | { group: string; args: (f: Fixtures) => string[]; files?: Record<string, string> }
    | { none: string };
}

const LOCAL = (why: string) => ({ none: why });
/** One row per leaf command, by its full name. */
const ROWS: Record<string, Row> = {
  "config show": {
    bad: {
      args: () => ["--config", "nope.yaml", "config", "show"],
      stderr: /--config: file .*nope\.yaml does not exist/,
    },
    refused: LOCAL("reads the settings only"),
  },
  "emulator replay": {
    bad: { args: () => ["emulator", "replay", "nope.har", "--port", "0"], stderr: /nope\.har/ },
    refused: LOCAL("serves a recording; sends nothing"),
  },
  "emulator start": {
    bad: {
      args: () => ["emulator", "start", "--port", "0", "--host", "0.0.0.0"],
      stderr: /--host: 0\.0\.0\.0 is not a loopback address/,
    },
    refused: LOCAL("is the emulator"),
  },
  "audit verify": {
    bad: { args: () => ["audit", "verify", "--anchor", "nope.jsonl"], stderr: /--anchor: cannot read/ },
    refused: LOCAL("reads the local audit log"),
  },
  "audit anchor": {
    bad: { args: () => ["audit", "anchor"], stderr: /audit\.anchorKey: is required/ },
    refused: LOCAL("writes a local anchor"),
  },
  "audit tail": {
    bad: { args: () => ["audit", "tail", "-n", "0"], stderr: /--lines: must be a positive integer/ },
    refused: LOCAL("reads the local audit log"),
  },
  "audit export": {
    bad: { args: () => ["audit", "export", "--format", "xml"], stderr: /--format/ },
    refused: LOCAL("reads the local audit log"),
  },
  "outbox status": {
    bad: {
      args: () => ["--data-dir", "f", "outbox", "status"],
      stderr: /dataDir: .* is a file/,
      files: { f: "x" },
    },
    refused: LOCAL("reads the local outbox"),
  },
  "outbox replay": {
    bad: { args: () => ["outbox", "replay"], stderr: /--dead|--id/ },
    refused: LOCAL("re-queues local events (webhooks, not CXone)"),
  },
  "outbox deliver": {
    bad: { args: () => ["outbox", "deliver", "--concurrency", "0"], stderr: /--concurrency/ },
    refused: LOCAL("delivers webhooks to the configured destinations, not to CXone"),
  },
  "users add": {
    bad: { args: () => ["users", "add", "ann", "--role", "admin"], stderr: /--role|password/ },
    refused: LOCAL("writes the local store"),
  },
  "users remove": {
    bad: { args: () => ["users", "remove", "bad name!"], stderr: /name/ },
    refused: LOCAL("writes the local store"),
  },
  "users list": {
    bad: {
      args: () => ["--data-dir", "f", "users", "list"],
      stderr: /dataDir: .* is a file/,
      files: { f: "x" },
    },
    refused: LOCAL("reads the local store"),
  },
  "users hash": {
    bad: { args: () => ["users", "hash", "extra"], stderr: /argument|unknown|too many/i },
    refused: LOCAL("hashes a password locally"),
  },
  "store migrate": {
    bad: { args: () => ["store", "migrate", "--to", "mysql://x"], stderr: /--to/ },
    refused: LOCAL("moves the local store"),
  },
  "strategy learn": {
    bad: {
      args: () => ["strategy", "learn", "--campaign", "c1", "--history", "nope.ndjson", "--out", "m.json"],
      stderr: /--history/,
    },
    refused: LOCAL("reads outcomes like outcomes export, whose row covers the refusal"),
  },
  "strategy plan": {
    bad: {
      args: () => [
        "strategy",
        "plan",
        "--list",
        "l.csv",
        "--model",
        "nope.json",
        "--from",
        "2026-12-01T00:00:00Z",
        "--days",
        "0",
        "--out",
        "p.ndjson",
      ],
      stderr: /--days|--model/,
    },
    refused: LOCAL(
      "a CXone refusal while reading what push reads (agents' dispositions): test/strategy/plan-reads-what-push-reads.test.ts",
    ),
  },
  "strategy push": {
    bad: { args: () => ["strategy", "push", "--plan", "nope.ndjson", "--campaign", "c1"], stderr: /--plan/ },
    refused: LOCAL("seed API: not supported (exit 1, nothing sent); production: test/strategy"),
  },
  "strategy restore-skill": {
    bad: { args: () => ["strategy", "restore-skill"], stderr: /--campaign/ },
    refused: LOCAL("production API only; restores only what a push with --fit-skill changed (test/strategy)"),
  },
  "strategy watch": {
    bad: { args: () => ["strategy", "watch", "--campaign", "bad id!"], stderr: /--campaign/ },
    refused: LOCAL("production API only; acts only on skills a push counted on (test/strategy/skill-drift)"),
  },
  "strategy attempts": {
    bad: { args: () => ["strategy", "attempts", "--list", "bad id!"], stderr: /--list/ },
    refused: LOCAL("production API only"),
  },
  "strategy bench": {
    bad: { args: () => ["strategy", "bench", "--population", "nope.yaml"], stderr: /--population/ },
    refused: LOCAL("simulates locally"),
  },
  "strategy evaluate": {
    bad: {
      args: () => ["strategy", "evaluate", "--model", "nope.json", "--history", "h.ndjson"],
      stderr: /--model|--history/,
    },
    refused: LOCAL("evaluates locally"),
  },
  "tenants list": {
    bad: { args: () => ["--config", "nope.yaml", "tenants", "list"], stderr: /--config/ },
    refused: LOCAL("reads the config file only"),
  },
  "tenants doctor": {
    bad: { args: () => ["tenants", "doctor", "umbrella"], stderr: /tenants: no tenants are configured/ },
    refused: LOCAL("doctor does not apply to a seed tenant (its row says so)"),
  },
  "tenants diff": {
    bad: { args: () => ["tenants", "diff", "a", "a"], stderr: /tenant/ },
    refused: LOCAL("needs two configured business units: test/cli/tenants.test.ts"),
  },
  doctor: {
    bad: { args: () => ["doctor", "--i-know"], stderr: /--i-know|--scratch-skill/ },
    refused: LOCAL("production API only"),
  },
  "auth check": {
    bad: {
      args: () => ["auth", "check"],
      stderr: /http\.timeoutMs: must be a number/,
      files: { "cxo.config.yaml": "http: { timeoutMs: fast }\n" },
    },
    refused: { group: "token", args: () => ["auth", "check"] },
  },
  "dispositions codes": {
    bad: { args: () => ["dispositions", "codes", "--campaign", "bad id!"], stderr: /--campaign/ },
    refused: { group: "dispositions", args: (f) => ["dispositions", "codes", "--campaign", f.campaign] },
  },
  tag: {
    bad: {
      args: () => ["tag", "--campaign", "c1", "--call", "c1"],
      stderr: /--disposition: is required with --call/,
    },
    refused: {
      group: "dispositions",
      args: (f) => ["tag", "--campaign", f.campaign, "--call", f.call, "--disposition", "BUSY"],
    },
  },
  "interactions get": {
    bad: { args: () => ["interactions", "get", "bad id!"], stderr: /must be|id/ },
    refused: { group: "interactions", args: (f) => ["interactions", "get", f.interaction] },
  },
  "interactions set-disposition": {
    bad: {
      args: () => ["interactions", "set-disposition", "i1", "--code", "100", "--agent", "a"],
      stderr: /--description: is required/,
    },
    refused: {
      group: "interactions",
      args: (f) => [
        "interactions",
        "set-disposition",
        f.interaction,
        "--code",
        "100",
        "--description",
        "x",
        "--agent",
        "a",
      ],
    },
  },
  "campaigns create": {
    bad: { args: () => ["campaigns", "create", "--spec", "spec.txt"], stderr: /--spec: must be a \.yaml/ },
    refused: {
      group: "campaigns",
      args: (f) => [
        "campaigns",
        "create",
        "--spec",
        path.resolve("examples/campaign.yaml"),
        "--contact-list",
        f.list,
      ],
    },
  },
  "campaigns pause": {
    bad: { args: () => ["campaigns", "pause", "bad id!"], stderr: /must be/ },
    refused: { group: "campaigns", args: (f) => ["campaigns", "pause", f.campaign] },
  },
  "campaigns resume": {
    bad: { args: () => ["campaigns", "resume", "bad id!"], stderr: /must be/ },
    refused: { group: "campaigns", args: (f) => ["campaigns", "resume", f.campaign] },
  },
  "campaigns list": {
    bad: {
      args: () => ["--data-dir", "f", "campaigns", "list"],
      stderr: /dataDir: .* is a file/,
      files: { f: "x" },
    },
    refused: LOCAL("seed API: the campaigns created from this data dir (local store)"),
  },
  "campaigns status": {
    bad: { args: () => ["campaigns", "status", "bad id!"], stderr: /must be/ },
    refused: { group: "campaigns", args: (f) => ["campaigns", "status", f.campaign] },
  },
  "campaigns webhook register": {
    bad: {
      args: () => ["campaigns", "webhook", "register", "--url", "ftp://x"],
      stderr: /--url: must be an http\(s\) URL/,
    },
    refused: {
      group: "campaigns",
      args: () => ["campaigns", "webhook", "register", "--url", "http://127.0.0.1:9/hook"],
    },
  },
  "campaigns watch": {
    bad: {
      args: () => ["campaigns", "watch", "--primary", "a", "--backup", "a"],
      stderr: /--backup: must differ from the primary/,
    },
    refused: LOCAL("a watchdog: a failed read is retried at the next interval, by design"),
  },
  "campaigns contacts": {
    bad: { args: () => ["campaigns", "contacts", "L1", "--format", "xml"], stderr: /--format/ },
    refused: { group: "campaigns", args: (f) => ["campaigns", "contacts", f.list, "--out", "c.ndjson"] },
  },
  "compliance check": {
    bad: {
      args: () => ["compliance", "check", "--phone", "12345"],
      stderr: /--phone: must be a NANP number/,
    },
    refused: LOCAL("seed API: rules checked locally"),
  },
  "compliance rules": {
    bad: {
      args: () => ["compliance", "rules"],
      stderr: /rules\.effectiveDates\.no-such-rule/,
      files: { "cxo.config.yaml": "rules: { effectiveDates: { no-such-rule: 2027-01-31 } }\n" },
    },
    refused: LOCAL("lists the rule book: nothing sent"),
  },
  "compliance dnc import": {
    bad: {
      args: () => ["compliance", "dnc", "import", "--registry", "national", "nope.txt"],
      stderr: /nope\.txt/,
    },
    refused: LOCAL("imports into the local store"),
  },
  "compliance dnc registries": {
    bad: {
      args: () => ["compliance", "dnc", "registries"],
      stderr: /http\.timeoutMs: must be a number/,
      files: { "cxo.config.yaml": "http: { timeoutMs: fast }\n" },
    },
    refused: LOCAL("reads the local store"),
  },
  "compliance dnc add": {
    bad: { args: () => ["compliance", "dnc", "add", "12345"], stderr: /must be a NANP number/ },
    refused: LOCAL("writes the local DNC list"),
  },
  "compliance dnc remove": {
    bad: { args: () => ["compliance", "dnc", "remove", "12345"], stderr: /must be a NANP number/ },
    refused: LOCAL("writes the local DNC list"),
  },
  "compliance dnc list": {
    bad: {
      args: () => ["--data-dir", "f", "compliance", "dnc", "list"],
      stderr: /dataDir: .* is a file/,
      files: { f: "x" },
    },
    refused: LOCAL("reads the local DNC list"),
  },
  "compliance rnd check": {
    bad: {
      // With the RND configured (the client's rnd.check refuses a missing one first, exit 2 too).
      args: () => ["compliance", "rnd", "check", "--file", "n.csv", "--config", "rnd.yaml"],
      stderr: /row 1, consentDate/,
      files: {
        "n.csv": "phone\n+13035552001\n",
        "rnd.yaml":
          "compliance:\n  rnd:\n    url: http://127.0.0.1:9\n    clientId: id\n    clientSecret: secret\n",
      },
    },
    refused: LOCAL("asks the Reassigned Numbers Database, not CXone (test/compliance/rnd-cli.test.ts)"),
  },
  "compliance rnd evidence": {
    bad: {
      args: () => ["compliance", "rnd", "evidence", "--phone", "12345"],
      stderr: /--phone: must be a NANP number/,
    },
    refused: LOCAL("reads the local store"),
  },
  "compliance evidence": {
    bad: {
      args: () => ["compliance", "evidence", "--file", "o.ndjson", "--list", "7", "--out", "e.ndjson"],
      stderr: /--list: does not go with --file/,
    },
    refused: {
      group: "outcomes",
      args: (f) => [
        "compliance",
        "evidence",
        "--campaign",
        f.campaign,
        "--from",
        new Date(Date.now() - 2 * 86_400_000).toISOString(),
        "--to",
        new Date(Date.now() - 60_000).toISOString(),
        "--out",
        "e.ndjson",
      ],
    },
  },
  "compliance evidence prune": {
    bad: {
      args: () => ["compliance", "evidence", "prune", "--dir", "no-such-dir"],
      stderr: /--dir: no-such-dir is not a directory/,
    },
    refused: LOCAL("reads and removes local evidence files, never CXone"),
  },
  "compliance dnc sync": {
    bad: {
      args: () => ["compliance", "dnc", "sync"],
      stderr: /http\.timeoutMs: must be a number/,
      files: { "cxo.config.yaml": "http: { timeoutMs: fast }\n" },
    },
    refused: LOCAL("production API only (seed: not supported, exit 1, nothing sent)"),
  },
  "consent revoke": {
    bad: { args: () => ["consent", "revoke", "--phone", "12345"], stderr: /--phone/ },
    refused: LOCAL("seed API: the ledger is local"),
  },
  "consent import": {
    bad: { args: () => ["consent", "import", "--file", "nope.csv"], stderr: /--file/ },
    refused: LOCAL("seed API: the ledger is local"),
  },
  "touches import": {
    bad: {
      args: () => ["touches", "import", "--file", "t.csv"],
      stderr: /row 2, channel: must be one of/,
      files: { "t.csv": "phone,at,channel\n+12125552301,2026-10-01T10:00:00-04:00,fax\n" },
    },
    refused: LOCAL("local only: nothing is sent to CXone"),
  },
  "callbacks list": {
    bad: { args: () => ["callbacks", "list", "--agent", "x"], stderr: /--agent/ },
    refused: LOCAL("production API only (seed: not supported, exit 1, nothing sent)"),
  },
  "callbacks schedule": {
    bad: {
      args: () => [
        "callbacks",
        "schedule",
        "--phone",
        "+13125550171",
        "--campaign",
        "701",
        "--at",
        "2026-12-02T18:00:00",
      ],
      stderr: /--at: .*offset/,
    },
    refused: LOCAL("production API only (seed: not supported, exit 1, nothing sent)"),
  },
  "callbacks cancel": {
    bad: { args: () => ["callbacks", "cancel", "abc"], stderr: /CALLBACK_ID/ },
    refused: LOCAL("production API only (seed: not supported, exit 1, nothing sent)"),
  },
  why: {
    bad: { args: () => ["why", "--campaign", "bad id!"], stderr: /--campaign/ },
    refused: { group: "campaigns", args: (f) => ["why", "--campaign", f.campaign] },
  },
  "callerid health": {
    bad: {
      args: () => ["callerid", "health", "--campaign", "c1", "--false-alarm-rate", "0.7"],
      stderr: /--false-alarm-rate/,
    },
    refused: { group: "outcomes", args: (f) => ["callerid", "health", "--campaign", f.campaign] },
  },
  "consent grant": {
    bad: {
      args: () => ["consent", "grant", "--phone", "+13125550123", "--written", "yes"],
      stderr: /--purpose/,
    },
    refused: LOCAL("records in the local ledger"),
  },
  "consent review": {
    bad: { args: () => ["consent", "review", "--as", "revocation"], stderr: /--as/ },
    refused: LOCAL("reads the local review queue; a decision records in the local ledger"),
  },
  "autopilot run": {
    bad: {
      args: () => ["--config", "autopilot.yaml", "autopilot", "run", "--once"],
      stderr: /autopilot\.campaigns\.0\.kind/,
      files: {
        "autopilot.yaml":
          'service: { timeZone: America/New_York }\nautopilot:\n  campaigns:\n    - { campaign: "1", kind: outreach, list: l.csv, model: m.json }\n',
      },
    },
    refused: LOCAL(
      "its steps are each command's own (test/autopilot: stops and retries on CXone's refusals)",
    ),
  },
  "autopilot status": {
    bad: { args: () => ["autopilot", "status"], stderr: /autopilot\.campaigns/ },
    refused: LOCAL("reads the local store"),
  },
  "autopilot resume": {
    bad: { args: () => ["autopilot", "resume", "--campaign", "1"], stderr: /autopilot\.campaigns/ },
    refused: LOCAL("production API: resumes a skill the autopilot paused (test/autopilot/stops)"),
  },
  "consent report": {
    bad: { args: () => ["consent", "report", "--from", "x"], stderr: /--from/ },
    refused: LOCAL("reads the local ledger"),
  },
  "consent honour": {
    bad: {
      args: () => ["consent", "honour"],
      stderr: /http\.timeoutMs: must be a number/,
      files: { "cxo.config.yaml": "http: { timeoutMs: fast }\n" },
    },
    refused: LOCAL("seed API: the ledger is local"),
  },
  "dialer validate": {
    bad: { args: () => ["dialer", "validate"], stderr: /--config: is required/ },
    refused: {
      group: "dialer",
      args: () => ["dialer", "validate", "--config", path.resolve("examples/dialer.yaml")],
    },
  },
  "dialer apply": {
    bad: { args: () => ["dialer", "apply", "--config", "nope.json"], stderr: /--config: cannot read/ },
    refused: {
      group: "dialer",
      args: () => ["dialer", "apply", "--config", path.resolve("examples/dialer.yaml")],
    },
  },
  "dialer history": {
    bad: { args: () => ["dialer", "history", "--campaign", "bad id!"], stderr: /--campaign/ },
    refused: LOCAL("reads the local version history"),
  },
  "dialer diff": {
    bad: { args: () => ["dialer", "diff", "v1", "v2"], stderr: /v1|version/ },
    refused: LOCAL("compares local snapshots"),
  },
  "dialer rollback": {
    bad: { args: () => ["dialer", "rollback", "--campaign", "bad id!"], stderr: /--campaign/ },
    refused: LOCAL("needs an applied version first: test/dialer/settings"),
  },
  "dialer metrics": {
    bad: {
      args: () => ["dialer", "metrics", "--campaign", "c1", "--from", "x"],
      stderr: /--from: "x" is not an ISO 8601 date-time/,
    },
    refused: { group: "analytics", args: (f) => ["dialer", "metrics", "--campaign", f.campaign] },
  },
  "dialer audit": {
    bad: { args: () => ["dialer", "audit", "--campaign", "bad id!"], stderr: /--campaign/ },
    refused: { group: "analytics", args: () => ["dialer", "audit"] },
  },
  "dialer erlang": {
    bad: {
      args: () => [
        "dialer",
        "erlang",
        "--model",
        "z",
        "--agents",
        "10",
        "--arrival-per-min",
        "1",
        "--aht-min",
        "3",
      ],
      stderr: /--model/,
    },
    refused: LOCAL("computes locally"),
  },
  "dialer simulate": {
    bad: { args: () => ["dialer", "simulate", "--config", "nope.yaml"], stderr: /--config/ },
    refused: LOCAL("simulates locally"),
  },
  "dialer abandonment": {
    bad: {
      args: (f) => ["dialer", "abandonment", "--campaign", f.campaign, "--window", "ofcom-12h"],
      stderr: /--window: must be a window the rule table defines/,
    },
    refused: LOCAL(
      "reads its campaign from this data dir first (one it did not create is bad input); the outcome read's refusal: test/dialer/abandonment/cli.test.ts",
    ),
  },
  "dialer pacing bench": {
    bad: { args: () => ["dialer", "pacing", "bench", "--scenario", "nope.yaml"], stderr: /--scenario/ },
    refused: LOCAL("simulates locally"),
  },
  "outcomes export": {
    bad: {
      args: () => ["outcomes", "export", "--campaign", "c1", "--from", "x", "--to", "2026-01-02T00:00:00Z"],
      stderr: /--from: "x" is not an ISO 8601 date-time/,
    },
    refused: {
      group: "outcomes",
      args: (f) => [
        "outcomes",
        "export",
        "--campaign",
        f.campaign,
        "--from",
        new Date(Date.now() - 2 * 86_400_000).toISOString(),
        "--to",
        new Date(Date.now() - 60_000).toISOString(),
        "--out",
        "o.ndjson",
        "--no-crm",
      ],
    },
  },
  "outcomes verify": {
    bad: {
      args: () => ["outcomes", "verify", "nope.ndjson", "--hash", "a".repeat(64)],
      stderr: /nope\.ndjson/,
    },
    refused: LOCAL("hashes a local file"),
  },
  serve: {
    bad: { args: () => ["serve", "--port", "0", "--host", "0.0.0.0"], stderr: /--host|--access-token/ },
    refused: LOCAL("a service: its CXone reads are the board's (test/service)"),
  },
  completion: {
    bad: { args: () => ["completion", "tcsh"], stderr: /tcsh|bash/ },
    refused: LOCAL("prints a script"),
  },
  clock: {
    bad: { args: () => ["--clock", "2026-11-30T07:00:00", "clock"], stderr: /--clock: .*offset/ },
    refused: LOCAL("reads the clock only"),
  },
  demo: {
    bad: { args: () => ["demo", "--platform", "nope"], stderr: /--platform/ },
    refused: LOCAL("runs its own emulator"),
  },
};

/** Every leaf command of the CLI's own tree, by its full name ("dialer pacing bench"). */
async function leafCommands(): Promise<string[]> {
  const program = await buildFullProgram();
  const leaves: string[] = [];
  const walk = (command: Command, name: string[]) => {
    // A command with subcommands may run itself too (`compliance evidence` and `… evidence prune`).
    const runs = command.registeredArguments.length > 0 && command.commands.length > 0;
    if (command.commands.length === 0 || runs) leaves.push(name.join(" "));
    for (const sub of command.commands) walk(sub, [...name, sub.name()]);
  };
  for (const command of program.commands) walk(command, [command.name()]);
  return leaves;
}

let emu: RunningEmulator;
let fixtures: Fixtures;
let env: (dir: string) => Record<string, string>;

function caseDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-exit-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text, { mode: 0o600 });
  }
  return dir;
}

interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}
const requests = async () =>
  ((await adminCall(emu.url, "GET", "/requests")) as { requests: LoggedRequest[] }).requests;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, calls: 50, metricsIntervalMs: 0, operationDelayMs: 50 });
  const client = emu.fixtures.clients[0]!;
  const campaign = emu.fixtures.campaigns[0]!;
  fixtures = {
    campaign: campaign.id,
    call: (emu.fixtures.calls as Array<{ id: string }>)[0]?.id ?? "call-1",
    interaction: emu.fixtures.interactions[0]!.id,
    list: emu.fixtures.contactLists[0]!.id,
  };
  env = (dir) => ({
    CXONE_BASE_URL: emu.url,
    CXONE_CLIENT_ID: client.clientId,
    CXONE_CLIENT_SECRET: client.clientSecret,
    CXO_DATA_DIR: path.join(dir, ".cxo"),
  });
});

afterAll(async () => {
  await emu?.close();
});

describe("the exit-code contract, every command", () => {
  it("every command of the CLI's tree has a row (a new command needs one), and no row names a command that is gone", async () => {
    const leaves = await leafCommands();
    expect(leaves.length).toBeGreaterThan(50);
    expect(
      leaves.filter((name) => !(name in ROWS)),
      "commands without a row",
    ).toEqual([]);
    expect(
      Object.keys(ROWS).filter((name) => !leaves.includes(name)),
      "rows without a command",
    ).toEqual([]);
  });

  it("a bad input exits 2, says what is wrong on stderr, prints nothing on stdout, and sends nothing", async () => {
    await adminCall(emu.url, "DELETE", "/requests");
    const names = Object.keys(ROWS);
    const jobs = names.map((name) => {
      const { bad } = ROWS[name]!;
      const dir = caseDir(bad.files);
      return { args: bad.args(fixtures), env: env(dir), cwd: dir };
    });
    const results = await runCliBatch(jobs);
    const wrong = results.flatMap((result, i) => {
      const name = names[i]!;
      const { bad } = ROWS[name]!;
      const ok = result.code === 2 && bad.stderr.test(result.stderr) && result.stdout === "";
      return ok
        ? []
        : [
            {
              name,
              code: result.code,
              stderr: result.stderr.slice(0, 300),
              stdout: result.stdout.slice(0, 100),
            },
          ];
    });
    expect(wrong).toEqual([]);
    // 2 means nothing was sent: not one request, not even for a token.
    expect(await requests()).toEqual([]);
  }, 120_000);

  it("CXone refusing what a command sends exits 1, and the refusal is in the emulator's log", async () => {
    const wrong: unknown[] = [];
    for (const [name, row] of Object.entries(ROWS)) {
      if ("none" in row.refused) continue;
      const refused = row.refused;
      // One attempt: the refusal is the answer, not something to retry for minutes.
      const dir = caseDir({ ...refused.files, "cxo.config.yaml": "http: { maxAttempts: 1 }\n" });
      await adminCall(emu.url, "DELETE", "/requests");
      await adminCall(emu.url, "POST", "/faults", { group: refused.group, errorRate: 1, errorStatus: 503 });
      const result = await runCli(refused.args(fixtures), env(dir), { cwd: dir });
      await adminCall(emu.url, "DELETE", "/faults");
      const log = await requests();
      if (result.code !== 1 || !log.some((r) => r.status === 503))
        wrong.push({
          name,
          code: result.code,
          stderr: result.stderr.slice(0, 300),
          log: log.map((r) => `${r.method} ${r.path} ${r.status}`),
        });
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
