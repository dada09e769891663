import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CxoneHttp } from "../../../src/core/http/create.ts";
import { createLogger } from "../../../src/core/logging/index.ts";
import { httpFor } from "../../support/http-fixture.ts";
import {
  type ScriptedServer,
  startScriptedServer,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
} from "../../support/scripted-server.ts";

let server: ScriptedServer;
let core: CxoneHttp;
let captured: string;

beforeEach(async () => {
  server = await startScriptedServer();
  captured = "";
});
afterEach(async () => {
  await core.close();
  await server.close();
});

function forbidden(): string[] {
  const basic = Buffer.from(`${TEST_CLIENT_ID}:${TEST_CLIENT_SECRET}`).toString("base64");
  return [TEST_CLIENT_SECRET, basic, ...server.issued];
}

describe("no secret is ever logged or put in an error", () => {
  it("a full run with successes, retries, 401s, 403s and server errors logs no secret or token", async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        captured += chunk.toString();
        done();
      },
    });
    const logger = createLogger({ level: "trace", destination: sink });
    core = httpFor(server.url, { logger, http: { maxAttempts: 3, deadlineMs: 1_000 } });
    const errors: unknown[] = [];
    const run = async (path: string, extra: Record<string, unknown> = {}) => {
      try {
        await core.http.request({ method: "GET", path, group: "dispositions", ...extra });
      } catch (error) {
        errors.push(error);
        // Callers log whole errors: that must be safe too.
        logger.error({ err: error }, "request failed");
      }
    };

    server.setApi((request) => {
      switch (request.path) {
        case "/ok":
          return { status: 200, body: { ok: true } };
        case "/echo":
          // A careless server that echoes the credentials it was sent into its error body.
          return {
            status: 400,
            body: { message: `bad request with ${request.headers.authorization}`, headers: request.headers },
          };
        case "/forbidden":
          return { status: 403, body: { error: "insufficient_scope" } };
        case "/flaky":
          return { status: 503, body: { message: "try later" } };
        case "/throttled":
          return { status: 429, headers: { "retry-after": "0" } };
        default:
          return { status: 404 };
      }
    });

    await run("/ok");
    server.revoked.add(server.issued[0]!);
    await run("/ok"); // 401 → refresh → retry
    await run("/echo");
    await run("/forbidden", { requiredScopes: ["outbound:campaign:read"] });
    await run("/flaky");
    await run("/throttled");
    server.token.answer = () => ({
      status: 401,
      body: { error: "invalid_client", client_secret_echo: TEST_CLIENT_SECRET },
    });
    server.revoked.add(server.issued[1]!);
    await run("/ok");

    expect(errors.length).toBeGreaterThanOrEqual(5);
    expect(captured).toContain("request failed");
    expect(captured).toContain("retrying");
    const texts = [
      captured,
      ...errors.map((e) => `${(e as Error).message} ${JSON.stringify(e)} ${String(e)}`),
    ];
    for (const text of texts) {
      for (const secret of forbidden()) expect(text).not.toContain(secret);
    }
    expect(server.issued.length).toBeGreaterThanOrEqual(2);
  });
});
