import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fishCompletion, zshCompletion } from "../../src/cli/completion.ts";
import { buildFullProgram } from "../../src/cli/main.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";

/** The CLI as a product: version, lazy loading, completion, stdin, proxies. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CXO = path.join(ROOT, "bin", "cxo.js");
const VERSION = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version as string;

/** Runs cxo with `input` on its standard input. */
function withStdin(args: string[], input: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [CXO, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** The modules a cxo run loads (a resolve hook in the child records them). */
function modulesLoadedBy(args: string[], env: Record<string, string> = {}): string[] {
  const hook = `data:text/javascript,${encodeURIComponent(`
    import { registerHooks } from "node:module";
    const seen = [];
    registerHooks({ resolve(s, c, next) { const r = next(s, c); seen.push(r.url); return r; } });
    process.on("exit", () => process.stderr.write("\\nLOADED " + JSON.stringify(seen)));
  `)}`;
  const run = spawnSync(process.execPath, ["--import", hook, CXO, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stderr.slice(run.stderr.lastIndexOf("LOADED ") + 7));
}

// The platform layer but its refusing port for a client without a connection (platform/disconnected.ts,
// which imports nothing): `compliance check` judges through such a client when no CXone is configured.
const HEAVY =
  /node_modules\/(fastify|@fastify|pino|pg|pg-[a-z-]+|date-holidays|astronomia|undici|uplot|cli-progress|prom-client)\/|\/src\/(emulator|service|demo|dialer\/simulator|platform(?!\/disconnected\.ts)|client)\b/;

describe("cxo as a product", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, calls: 200 });
  });
  afterAll(() => emulator?.close());

  const credentials = () => {
    const admin = emulator.fixtures.clients[0]!;
    return {
      CXONE_BASE_URL: emulator.url,
      CXONE_CLIENT_ID: admin.clientId,
      CXONE_CLIENT_SECRET: admin.clientSecret,
    };
  };

  it("cxo --version and -V print the package version", async () => {
    const [long, short] = await Promise.all([runCli(["--version"]), runCli(["-V"])]);
    expect(long).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    expect(short).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it("--version and compliance check load no command module, HTTP client, server, logger or database driver they do not use", () => {
    const version = modulesLoadedBy(["--version"]);
    expect(version.filter((url) => HEAVY.test(url) || /\/src\/cli\/commands\/(?!index)/.test(url))).toEqual(
      [],
    );
    const check = modulesLoadedBy(
      ["compliance", "check", "--phone", "+12125550123", "--at", "2026-03-02T15:00:00Z", "--json"],
      { CXO_DATA_DIR: path.join(ROOT, "test-artifacts", "product-compliance") },
    );
    expect(check.filter((url) => HEAVY.test(url))).toEqual([]);
    expect(check.some((url) => url.includes("/src/cli/commands/compliance.ts"))).toBe(true);
    // One path: the check is the SDK client's (a local one here: no CXone configured).
    expect(check.some((url) => url.includes("/src/sdk/build-client.ts"))).toBe(true);
    expect(check.some((url) => url.includes("/src/cli/commands/tag.ts"))).toBe(false);
  });

  it("cxo completion bash completes commands, sub-commands and options (values skipped)", async () => {
    const [script, bad] = await Promise.all([runCli(["completion", "bash"]), runCli(["completion", "tcsh"])]);
    expect(script.code, script.stderr).toBe(0);
    expect(bad.code).toBe(2);
    // Every case in one bash process: one line of completions each.
    const cases = [
      ["cxo", "camp"],
      ["cxo", "campaigns", ""],
      ["cxo", "--data-dir", "/tmp/x", "dialer", "va"],
      ["cxo", "tag", "--campaign", "c1", "--c"],
    ];
    const calls = cases
      .map(
        (words) =>
          `COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _cxo; echo "\${COMPREPLY[*]}"`,
      )
      .join("\n");
    const run = spawnSync("bash", ["-c", `${script.stdout}\n${calls}`], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const [commands, campaigns, dialer, tag] = run.stdout
      .trim()
      .split("\n")
      .map((line) => line.split(/\s+/));
    expect(commands).toEqual(["campaigns"]);
    expect(campaigns).toEqual(expect.arrayContaining(["create", "pause", "watch", "contacts"]));
    expect(dialer).toEqual(["validate"]);
    expect(tag).toEqual(expect.arrayContaining(["--call", "--concurrency", "--config"]));
    // zsh and fish from the same tree, in-process.
    const program = await buildFullProgram();
    expect(zshCompletion(program)).toContain("bashcompinit");
    expect(fishCompletion(program)).toContain("complete -c cxo -n '__fish_seen_subcommand_from campaigns");
  });

  it("- reads standard input where a command reads a file (--config, --file)", async () => {
    const dialer = readFileSync(path.join(ROOT, "examples", "dialer.yaml"), "utf8");
    const simulated = await withStdin(
      ["dialer", "simulate", "--config", "-", "--hours", "0.05", "--json"],
      dialer,
    );
    expect(simulated.code, simulated.stderr).toBe(0);
    expect(JSON.parse(simulated.stdout).mode).toBe("predictive");

    const settings = await withStdin(
      ["--config", "-", "config", "show", "--json"],
      "dataDir: /tmp/from-stdin\n",
    );
    expect(JSON.parse(settings.stdout).dataDir).toBe("/tmp/from-stdin");

    const campaign = emulator.fixtures.campaigns[0]!;
    const call = emulator.fixtures.calls.find((c) => c.campaignId === campaign.id)!;
    const rows = `callId,dispositionCodeId\n${call.id},${campaign.dispositionCodes[0]!.id}\n${call.id},NOT_A_CODE\n`;
    await adminCall(emulator.url, "POST", "/reset");
    const dryRun = await withStdin(
      ["tag", "--campaign", campaign.id, "--file", "-", "--dry-run", "--json"],
      rows,
      { ...credentials(), CXO_DATA_DIR: path.join(ROOT, "test-artifacts", "product-stdin") },
    );
    expect(dryRun.code, dryRun.stderr).toBe(2); // a dry run that finds invalid rows is bad input
    expect(JSON.parse(dryRun.stdout)).toMatchObject({ total: 2, valid: 1, invalid: 1, dryRun: true });
    const log = await adminCall(emulator.url, "GET", "/requests");
    expect(log.requests.filter((r: { method: string }) => r.method === "PUT")).toEqual([]);
  });

  describe("HTTPS_PROXY / HTTP_PROXY / NO_PROXY", () => {
    let proxy: Server;
    const tunnels: string[] = [];
    beforeAll(async () => {
      // A CONNECT proxy that records where each tunnel goes.
      proxy = createServer((_req, res) => res.writeHead(405).end());
      proxy.on("connect", (req, socket, head) => {
        tunnels.push(req.url ?? "");
        const [host, port] = (req.url ?? "").split(":");
        const upstream = connect(Number(port), host, () => {
          socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
          upstream.write(head);
          upstream.pipe(socket);
          socket.pipe(upstream);
        });
        upstream.on("error", () => socket.destroy());
        socket.on("error", () => upstream.destroy());
      });
      await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    });
    afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

    it("the CLI sends CXone requests through the proxy, and not for hosts in NO_PROXY", async () => {
      const address = proxy.address() as { port: number };
      const proxyUrl = `http://127.0.0.1:${address.port}`;
      const target = new URL(emulator.url).host;
      const viaProxy = await runCli(["auth", "check", "--json"], { ...credentials(), HTTP_PROXY: proxyUrl });
      expect(viaProxy.code, viaProxy.stderr).toBe(0);
      expect(tunnels).toContain(target);
      tunnels.length = 0;
      const direct = await runCli(["auth", "check", "--json"], {
        ...credentials(),
        HTTP_PROXY: proxyUrl,
        NO_PROXY: "127.0.0.1",
      });
      expect(direct.code, direct.stderr).toBe(0);
      expect(tunnels).toEqual([]);
    });
  });
});
