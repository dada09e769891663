import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { humanLine as humanLogLine } from "../../src/core/logging/logger.ts";
import { printable, printableText } from "../../src/core/printable.ts";
import { openStore } from "../../src/core/store/index.ts";
import { auditSignIn } from "../../src/service/auth.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 63 N7: a failed sign-in's name went into the audit log as typed, control characters and
 * all, and `cxo audit tail` printed it raw: the terminal was cleared and a forged line shown.
 * User-supplied strings are escaped in every text output; JSON output is JSON (escaped already).
 */
const HOSTILE =
  "mallory\u001b[2J\u001b[H\r#99 2026-01-01T00:00:00Z users.remove user:olivia ok actor=cli:root\n#100 forged";

describe("control characters in text output (N7)", () => {
  it("printable escapes every control character of a value, the line breaks too", () => {
    expect(printable("a\u001b[2Jb\r\n\t\u0000\u007f\u009b\u202e")).toBe(
      "a\\x1b[2Jb\\r\\n\\t\\x00\\x7f\\x9b\\u202e",
    );
    expect(printable("José ☎ 東京")).toBe("José ☎ 東京");
    // A whole text output keeps its own line breaks and tabs, and loses the rest.
    expect(printableText("line 1\n\tline 2\u001b[2J\r")).toBe("line 1\n\tline 2\\x1b[2J\\r");
  });

  it("cxo audit tail prints a failed sign-in's hostile name escaped: one line per record, no escape sequence", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-control-"));
    const store = await openStore(dataDir, { actor: "test" });
    await auditSignIn(store, { user: HOSTILE, address: "127.0.0.1", ok: false });
    await store.close();
    const run = await runCli(["audit", "tail"], { CXO_DATA_DIR: dataDir });
    expect(run.code, run.stderr).toBe(0);
    // Nothing but the output's own line breaks is left to the terminal.
    expect(printableText(run.stdout)).toBe(run.stdout);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("user:mallory\\x1b[2J\\x1b[H\\r#99");
    // --json stays exact (JSON escapes them itself).
    const json = await runCli(["--json", "audit", "tail"], { CXO_DATA_DIR: dataDir });
    expect(JSON.parse(json.stdout).records[0].target).toBe(`user:${HOSTILE}`);
  });

  it("the human log lines escape values too", () => {
    const line = humanLogLine(JSON.stringify({ level: 40, msg: "sign-in failed", user: HOSTILE }));
    expect(printableText(line)).toBe(line);
    expect(line.trimEnd().split("\n")).toHaveLength(1);
  });
});
