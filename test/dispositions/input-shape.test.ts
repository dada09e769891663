import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * Issue 51 items 8, 9, 10: tagging input that is bad on its face is refused before ANY request
 * (not even the token and the campaign's codes): a malformed --call, control characters in
 * --notes, a wrong CSV header, a stray or unclosed quote (naming the line and the quote), bytes
 * that are not UTF-8 (naming the line, instead of sending U+FFFD), a file whose every row is
 * malformed. The emulator's request log stays empty for all of them.
 */
interface Case {
  args: (dir: string) => string[];
  stderr: RegExp;
  /** Files (bytes) to create in the case's directory. */
  files?: Record<string, Buffer | string>;
}

/** A real campaign of the emulator: on old main its codes were fetched, and Latin-1 rows sent. */
let campaign = "";
const TAG_ARGS = () => ["tag", "--campaign", campaign];
const latin1 = (text: string) => Buffer.from(text, "latin1");

const CASES: Record<string, Case> = {
  "--call with CRLF inside": {
    args: () => [...TAG_ARGS(), "--call", "CALL-1\r\nX-Injected: 1", "--disposition", "CONVERTED"],
    stderr: /--call: must be an id: 1–128 letters, digits or _ \. : -/,
  },
  "--call of 10,000 characters": {
    args: () => [...TAG_ARGS(), "--call", "C".repeat(10_000), "--disposition", "CONVERTED"],
    stderr: /--call: must be an id: 1–128 letters/,
  },
  "--notes with a control character": {
    args: () => [
      ...TAG_ARGS(),
      "--call",
      "CALL-1",
      "--disposition",
      "CONVERTED",
      "--notes",
      "ring\u0007bell",
    ],
    stderr: /--notes: .*control character/,
  },
  "--file with a wrong CSV header": {
    args: (d) => [...TAG_ARGS(), "--file", path.join(d, "rows.csv")],
    files: { "rows.csv": "call,disposition\nCALL-1,CONVERTED\n" },
    stderr: /callId: required column is missing from the header/,
  },
  "--file with a stray quote in an unquoted field (item 9)": {
    args: (d) => [...TAG_ARGS(), "--file", path.join(d, "rows.csv")],
    files: { "rows.csv": 'callId,dispositionCodeId,notes\nCALL-1,CONVERTED,fine\nCALL-2,CONVERTED,a"b\n' },
    stderr: /--file: line 3, column 3: a quote \(".*\) inside an unquoted field \(it begins "a"\)/,
  },
  "--file with a stray quote on the first data line": {
    args: (d) => [...TAG_ARGS(), "--file", path.join(d, "rows.csv")],
    files: { "rows.csv": 'callId,dispositionCodeId\nCA"LL-1,CONVERTED\n' },
    stderr: /--file: line 2, column 1: a quote/,
  },
  "--file with an unclosed quote": {
    args: (d) => [...TAG_ARGS(), "--file", path.join(d, "rows.csv")],
    files: { "rows.csv": 'callId,dispositionCodeId,notes\nCALL-1,CONVERTED,"never closed\n' },
    stderr: /--file: line \d+: a quoted field is never closed/,
  },
  "--file (CSV) in Latin-1 (item 10)": {
    args: (d) => [...TAG_ARGS(), "--file", path.join(d, "rows.csv")],
    files: {
      "rows.csv": Buffer.concat([
        Buffer.from("callId,dispositionCodeId,notes\nCALL-1,CONVERTED,ok\n"),
        latin1("CALL-2,CONVERTED,caf\u00e9\n"),
      ]),
    },
    stderr: /--file: ".*rows\.csv" line 3 is not valid UTF-8/,
  },
  "--file (NDJSON) in Latin-1": {
    args: (d) => [...TAG_ARGS(), "--file", path.join(d, "rows.ndjson")],
    files: {
      "rows.ndjson": latin1('{"callId":"CALL-1","dispositionCodeId":"CONVERTED","notes":"caf\u00e9"}\n'),
    },
    stderr: /--file: ".*rows\.ndjson" line 1 is not valid UTF-8/,
  },
  "--file whose every row is malformed": {
    args: (d) => [...TAG_ARGS(), "--file", path.join(d, "rows.csv")],
    files: { "rows.csv": "callId,dispositionCodeId\nCALL 1,CONVERTED\nCALL/2,CONVERTED\n" },
    stderr: /row 1, callId: must be an id: 1–128 letters/,
  },
};

let emu: RunningEmulator;
const entries = Object.entries(CASES);
let results: CliResult[] = [];

beforeAll(async () => {
  emu = await startEmulator({ port: 0, calls: 100, metricsIntervalMs: 0 });
  const client = emu.fixtures.clients[0];
  if (!client) throw new Error("no client");
  campaign = (emu.fixtures.campaigns[0] as { id: string }).id;
  await adminCall(emu.url, "DELETE", "/requests");
  results = await runCliBatch(
    entries.map(([, c]) => {
      const dir = mkdtempSync(path.join(tmpdir(), "cxo-shape-"));
      for (const [name, bytes] of Object.entries(c.files ?? {})) writeFileSync(path.join(dir, name), bytes);
      return {
        args: c.args(dir),
        env: {
          CXONE_BASE_URL: emu.url,
          CXONE_CLIENT_ID: client.clientId,
          CXONE_CLIENT_SECRET: client.clientSecret,
          CXO_DATA_DIR: path.join(dir, ".cxo"),
        },
        cwd: dir,
      };
    }),
  );
}, 120_000);

afterAll(async () => {
  // Not a token request, not a codes GET: nothing reached CXone for any case.
  const log = (await adminCall(emu.url, "GET", "/requests")) as { requests: unknown[] };
  await emu.close();
  expect(log.requests).toEqual([]);
});

describe("tagging input that is bad on its face: exit 2 naming it, nothing sent", () => {
  it.for(entries.map(([name], index) => [name, index] as const))("%s", ([, index]) => {
    const c = (entries[index] as [string, Case])[1];
    const result = results[index] as CliResult;
    expect(result.stderr).toMatch(c.stderr);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
