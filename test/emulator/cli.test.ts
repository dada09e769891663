import { describe, expect, it } from "vitest";
import { runCli, spawnCli } from "../support/run-cli.ts";
import { waitUntil } from "../support/wait-until.ts";
import { json } from "./helpers.ts";

async function firstLine(read: () => string, timeoutMs = 15_000): Promise<string> {
  await waitUntil(() => read().includes("\n"), { what: "the CLI's first line", timeoutMs, intervalMs: 25 });
  return read().split("\n")[0] ?? "";
}

describe("cxo emulator start", () => {
  it("prints its URL once listening, serves, and stops on SIGTERM", async () => {
    const proc = spawnCli(["emulator", "start", "--port", "0", "--seed", "5"]);
    const line = await firstLine(proc.out);
    expect(line).toMatch(/^CXone emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = line.slice(line.indexOf("http"));
    const fixtures = await json(`${url}/_emulator/fixtures`);
    expect(fixtures.seed).toBe(5);
    proc.child.kill("SIGTERM");
    const [code] = await proc.exit;
    expect(code).toBe(0);
  });

  it("prints {url} with --json and stops on SIGINT", async () => {
    const proc = spawnCli(["--json", "emulator", "start", "--port", "0"]);
    await firstLine(proc.out);
    await waitUntil(() => proc.out().trim().endsWith("}"), {
      what: "the emulator's JSON document",
      timeoutMs: 5000,
      intervalMs: 25,
    });
    expect(JSON.parse(proc.out()).url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    proc.child.kill("SIGINT");
    const [code, signal] = await proc.exit;
    expect({ code, signal, err: proc.err() }).toEqual({ code: 0, signal: null, err: "" });
  });

  it("listens on a public address only with --allow-remote, and warns that secrets are exposed", async () => {
    const proc = spawnCli(["emulator", "start", "--port", "0", "--host", "0.0.0.0", "--allow-remote"]);
    const line = await firstLine(proc.out);
    expect(line).toMatch(/listening on http:\/\/0\.0\.0\.0:\d+$/);
    expect(proc.err()).toMatch(/warning: .*0\.0\.0\.0.*client secrets/);
    proc.child.kill("SIGTERM");
    await proc.exit;
  });

  it("exits 2 naming the flag for a bad value", async () => {
    // Refused before anything starts: a warm `cxo` host runs it (a process of its own cost ~1.5 s of CPU).
    const { code, stderr } = await runCli(["emulator", "start", "--calls", "many"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--calls");
  });
});
