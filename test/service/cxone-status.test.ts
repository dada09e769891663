import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CxoneHttp } from "../../src/core/http/create.ts";
import { AuthError } from "../../src/core/http/errors.ts";
import { CxoneStatus } from "../../src/service/cxone-status.ts";
import { httpFor } from "../support/http-fixture.ts";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

/**
 * The service's CXone status (`/api/health`'s `cxone`, the console's CXone pill), learnt from the
 * HTTP core's events: a login CXone refuses is told now that token requests are told like any
 * request, and the status says so rather than "not contacted yet".
 */
let server: ScriptedServer;
let core: CxoneHttp;
beforeEach(async () => {
  server = await startScriptedServer();
});
afterEach(async () => {
  await core?.close();
  await server.close();
});

const get = () =>
  core.http.request({ method: "GET", path: "/api/v2/outbound/calls/c-1", group: "dispositions" });

describe("CxoneStatus", () => {
  it("a refused login (401) shows CXone answering and the login refused; a later login clears it", async () => {
    server.token.answer = () => ({ status: 401, body: { error: "invalid_client" } });
    core = httpFor(server.url);
    const status = new CxoneStatus(true);
    core.http.on(status.listener);
    await expect(get()).rejects.toBeInstanceOf(AuthError);
    expect(status.snapshot()).toMatchObject({
      configured: true,
      reachable: true,
      lastStatus: 401,
      lastNetworkError: null,
      token: { state: "refused", expiresAt: null },
    });

    server.token.answer = undefined;
    await get();
    expect(status.snapshot()).toMatchObject({ reachable: true, lastStatus: 200, token: { state: "valid" } });
  });

  it("a login that gets no answer shows CXone unreachable, with the network failure's code", async () => {
    server.token.answer = () => "reset";
    core = httpFor(server.url, { http: { maxAttempts: 1 } });
    const status = new CxoneStatus(true);
    core.http.on(status.listener);
    await expect(get()).rejects.toThrow();
    const snapshot = status.snapshot();
    expect(snapshot).toMatchObject({ reachable: false, lastStatus: null, token: { state: "none" } });
    expect(snapshot.lastNetworkError).toMatch(/\S/);
  });
});
