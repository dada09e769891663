import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * A hostile (or broken) Reassigned Numbers Database answers a 3-number query with 150 MB: `cxo
 * compliance rnd check` reads no more than a 3-number answer can need, refuses the rest unread with
 * an error that says so (exit 1), and its peak RSS stays far below what reading it whole took
 * (1.1 GB). The peak is the spawned `cxo`'s own, as the kernel counts it (`/usr/bin/time`).
 */
const CXO = fileURLToPath(new URL("../../bin/cxo.js", import.meta.url));
const ANSWER_BYTES = 150 * 1024 * 1024;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-rnd-bound-"));
let server: Server;
let url = "";
let sentBytes = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    if (request.url === "/oauth/token") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ access_token: "t", token_type: "Bearer", expires_in: 3600 }));
      return;
    }
    // The query's answer: a well-formed start, then results without end, streamed (no length).
    response.writeHead(200, { "content-type": "application/json" });
    const item = Buffer.from('{"tn":"3035552001","date":"2024-01-01","result":"no"},'.repeat(1024));
    let stopped = false;
    response.on("close", () => {
      stopped = true;
    });
    response.write('{"queryId":"q-1","dataAsOf":"2026-10-15","results":[');
    const more = () => {
      while (!stopped && sentBytes < ANSWER_BYTES) {
        sentBytes += item.length;
        if (!response.write(item)) return void response.once("drain", more);
      }
      if (!stopped) response.end('{"tn":"3035552001","date":"2024-01-01","result":"no"}]}');
    };
    more();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function cxoUnderTime(args: string[], env: Record<string, string>) {
  const rssFile = path.join(dir, "rss.txt");
  const child = spawn("/usr/bin/time", ["-f", "%M", "-o", rssFile, process.execPath, CXO, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string; peakMb: number }>((resolve) =>
    child.on("close", (code) =>
      // time(1) says "Command exited with non-zero status N" first, the figure on the last line.
      resolve({
        code,
        stdout,
        stderr,
        peakMb: Number(readFileSync(rssFile, "utf8").trim().split("\n").at(-1)) / 1024,
      }),
    ),
  );
}

describe("the RND's answer is read with a bound", () => {
  it("150 MB for 3 numbers: refused unread past the bound, exit 1, peak RSS under 300 MB", async () => {
    const file = path.join(dir, "numbers.csv");
    writeFileSync(
      file,
      "phone,consentDate\n+13035552001,2024-01-01\n+13035552002,2024-01-01\n+13035552003,2024-01-01\n",
    );
    const run = await cxoUnderTime(["compliance", "rnd", "check", "--file", file], {
      CXO_DATA_DIR: path.join(dir, "data"),
      CXO_RND_URL: url,
      CXO_RND_CLIENT_ID: "client",
      CXO_RND_CLIENT_SECRET: "secret-of-the-rnd",
    });
    expect(run.code).toBe(1);
    expect(run.peakMb).toBeLessThan(300);
    expect(run.stderr).toMatch(/POST \/api\/v1\/queries: the answer passed [\d,]+ bytes/);
    expect(run.stderr).toContain("3 numbers");
    // Not read to its end: the client stopped reading once past the bound.
    expect(sentBytes).toBeLessThan(ANSWER_BYTES);
  }, 240_000);
});
