import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CxoneHttp } from "../../../src/core/http/create.ts";
import { AnswerTooLargeError, ServerError } from "../../../src/core/http/errors.ts";
import { httpFor } from "../../support/http-fixture.ts";
import { type ScriptedServer, startScriptedServer } from "../../support/scripted-server.ts";

/**
 * Every answer is read with a bound: a request that says what it can need is refused past it
 * (AnswerTooLargeError naming the request and the bound), once, not retried; an error answer's
 * words are read, its body cut at 1 MiB rather than held whole.
 */
let server: ScriptedServer;
let core: CxoneHttp;

beforeEach(async () => {
  server = await startScriptedServer();
  core = httpFor(server.url);
});
afterEach(async () => {
  await core.close();
  await server.close();
});

describe("the answer's bound", () => {
  it("a 2xx answer past the request's bound: refused, not retried", async () => {
    server.setApi(() => ({ status: 200, body: { items: "x".repeat(50_000) } }));
    const refused = await core.http
      .request({
        method: "GET",
        path: "/api/thing",
        group: "dispositions",
        answerBound: { bytes: 10_000, why: "what one thing can need" },
      })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AnswerTooLargeError);
    expect((refused as AnswerTooLargeError).code).toBe("answer_too_large");
    expect((refused as Error).message).toMatch(
      /GET \/api\/thing: the answer passed 10,000 bytes .*what one thing can need/,
    );
    expect(server.apiRequests).toHaveLength(1);
  });

  it("within the bound: read as before", async () => {
    server.setApi(() => ({ status: 200, body: { ok: true } }));
    const answer = await core.http.request({
      method: "GET",
      path: "/api/thing",
      group: "dispositions",
      answerBound: { bytes: 100, why: "a small thing" },
    });
    expect(answer.body).toEqual({ ok: true });
  });

  it("an error answer's body is cut at 1 MiB, its status kept", async () => {
    server.setApi(() => ({ status: 500, body: "e".repeat(3 * 1024 * 1024) }));
    const failed = await core.http
      .request({ method: "GET", path: "/api/thing", group: "dispositions", maxAttempts: 1 })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ServerError);
  });
});
