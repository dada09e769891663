import Fastify from "fastify";
import { afterAll, describe, expect, it } from "vitest";
import { NotFoundError } from "../../src/core/http/errors.ts";
import { InputError } from "../../src/core/input-error.ts";
import { registerSecret, silentLogger } from "../../src/core/logging/index.ts";
import { AnswerError, installErrorAnswers } from "../../src/service/error-answers.ts";

/**
 * Issue 52 §2: one error handler shapes and scrubs every error answer of the service — an
 * action's 502 used to carry the raw error message (a CXone URL with a token, a connection
 * string). Registered secrets never leave; an unexpected error answers 500 with no detail.
 */
const SECRET = "s3cret-value-for-error-answers-0123";
registerSecret(SECRET);

describe("error answers", () => {
  const app = Fastify({ logger: false });
  installErrorAnswers(app, silentLogger);
  app.get("/action", async () => {
    throw new AnswerError(502, "action_failed", `CXone said no to ${SECRET}`, { ok: false, auditSeq: 7 });
  });
  app.get("/unexpected", async () => {
    throw new Error(`postgres://cxo:${SECRET}@db/cxo refused`);
  });
  app.get("/input", async () => {
    throw new InputError({ field: "to", rule: "must be a version tag" });
  });
  app.get("/missing", async () => {
    throw new NotFoundError(`campaign C (token ${SECRET}) does not exist`);
  });
  app.post("/json", async () => ({ ok: true }));
  afterAll(() => app.close());

  it("scrubs a chosen answer and keeps its fields", async () => {
    const answer = await app.inject({ url: "/action" });
    expect(answer.statusCode).toBe(502);
    expect(answer.json()).toMatchObject({ ok: false, auditSeq: 7, error: "action_failed" });
    expect(answer.body).not.toContain(SECRET);
    expect(answer.json().message).toContain("CXone said no");
  });

  it("answers an unexpected error 500 with no detail", async () => {
    const answer = await app.inject({ url: "/unexpected" });
    expect(answer.statusCode).toBe(500);
    expect(answer.json()).toEqual({
      error: "internal",
      message: "the service failed to answer: see its log",
    });
  });

  it("bad input is 400 with its problems; not found 404, scrubbed", async () => {
    const input = await app.inject({ url: "/input" });
    expect(input.statusCode).toBe(400);
    expect(input.json()).toEqual({
      error: "invalid_request",
      message: expect.stringContaining("to"),
      problems: [{ field: "to", rule: "must be a version tag" }],
    });
    const missing = await app.inject({ url: "/missing" });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).not.toContain(SECRET);
  });

  it("Fastify's own refusals keep their 4xx (a malformed JSON body)", async () => {
    const answer = await app.inject({
      method: "POST",
      url: "/json",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ error: "bad_request" });
  });
});
