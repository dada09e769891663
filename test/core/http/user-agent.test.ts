import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createInternalClient, type InternalClient } from "../../../src/client.ts";
import { loadSettings } from "../../../src/core/config/load.ts";
import { Transport } from "../../../src/core/http/transport.ts";
import { InputError } from "../../../src/core/input-error.ts";
import { createClient } from "../../../src/index.ts";
import {
  type ScriptedServer,
  startScriptedServer,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
} from "../../support/scripted-server.ts";

const VERSION = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")).version;
const SDK_AGENT = `cxone-outbound/${VERSION} node/${process.versions.node}`;

let server: ScriptedServer;
let client: InternalClient | undefined;

beforeEach(async () => {
  server = await startScriptedServer();
  server.setApi(() => ({ status: 200, body: { dispositionCodes: [] } }));
});
afterEach(async () => {
  await client?.close();
  client = undefined;
  await server.close();
});

function connect(http: Record<string, unknown> = {}): InternalClient {
  client = createInternalClient({
    connection: { baseUrl: server.url, clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET },
    http: { backoffBaseMs: 5, ...http },
  });
  return client;
}

describe("User-Agent", () => {
  it("names the SDK's version and Node's by default, on API and token requests alike", async () => {
    await connect().port.dispositions.getMatrix("c");
    expect(server.tokenRequests).toHaveLength(1);
    expect(server.apiRequests).toHaveLength(1);
    expect(server.tokenRequests[0]!.headers["user-agent"]).toBe(SDK_AGENT);
    expect(server.apiRequests[0]!.headers["user-agent"]).toBe(SDK_AGENT);
  });

  it("puts the caller's http.userAgent first, on API and token requests alike", async () => {
    await connect({ userAgent: "acme-dialer/2.1" }).port.dispositions.getMatrix("c");
    expect(server.tokenRequests[0]!.headers["user-agent"]).toBe(`acme-dialer/2.1 ${SDK_AGENT}`);
    expect(server.apiRequests[0]!.headers["user-agent"]).toBe(`acme-dialer/2.1 ${SDK_AGENT}`);
  });

  it.each([
    ["empty", ""],
    ["a newline", "acme\r\nX-Injected: 1"],
    ["a control character", "acme\u0000"],
    ["not ASCII", "acmé/1"],
    ["a space last", "acme/1 "],
    ["too long", "a".repeat(201)],
    ["not a string", 42],
  ])("refuses %s as http.userAgent, naming it, nothing sent", (_what, userAgent) => {
    const make = () =>
      createClient({
        connection: {
          platform: "seed",
          baseUrl: server.url,
          clientId: TEST_CLIENT_ID,
          clientSecret: TEST_CLIENT_SECRET,
        },
        http: { userAgent: userAgent as string },
      });
    expect(make).toThrow(InputError);
    try {
      make();
    } catch (error) {
      expect((error as InputError).problems.map((p) => p.field)).toEqual(["http.userAgent"]);
    }
    expect(server.requests).toHaveLength(0);
  });

  it("is a setting of the settings file's http block, checked by the same rule", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-ua-"));
    try {
      writeFileSync(path.join(dir, "cxo.config.yaml"), "http:\n  userAgent: acme-dialer/2.1\n");
      expect(loadSettings({ cwd: dir, env: {} }).http.userAgent).toBe("acme-dialer/2.1");
      writeFileSync(path.join(dir, "cxo.config.yaml"), 'http:\n  userAgent: ""\n');
      expect(() => loadSettings({ cwd: dir, env: {} })).toThrow(/http\.userAgent/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is added by the transport to a request naming none (the production login's discovery), not over one it names", async () => {
    const recorded: Array<Record<string, string>> = [];
    const transport = new Transport({
      userAgent: SDK_AGENT,
      onExchange: (exchange) => recorded.push(exchange.request.headers),
    });
    try {
      await transport.send({
        url: `${server.url}/.well-known/openid-configuration`,
        method: "GET",
        headers: {},
      });
      await transport.send({ url: `${server.url}/x`, method: "GET", headers: { "User-Agent": "own/1" } });
    } finally {
      await transport.close();
    }
    expect(server.requests.map((r) => r.headers["user-agent"])).toEqual([SDK_AGENT, "own/1"]);
    // The HAR records what was sent.
    expect(recorded[0]).toEqual({ "user-agent": SDK_AGENT });
  });
});
