import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient as createClient } from "../../../src/client.ts";
import { ConfigError, loadSettings, requireProductionConnection } from "../../../src/core/config/index.ts";
import { RateLimitRegistry } from "../../../src/core/http/endpoint-groups.ts";
import { ServerError } from "../../../src/core/http/errors.ts";
import { type HttpEvent, requestNumbers } from "../../../src/core/http/events.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { connectProductionApi } from "../../../src/platform/cxone/connect.ts";
import { accessKeyEnv } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";
import { runCliBatch } from "../../support/run-cli-batch.ts";
import { VirtualClock } from "../../support/virtual-clock.ts";
import { waitUntil } from "../../support/wait-until.ts";

/**
 * The production platform's two logins (conformance §1): the access key alone at UserHub's
 * `/authentication/v1/token/access-key` (no registered application: what most tenants can set
 * up), and the registered application's OpenID password grant. `cxone.auth` / `CXONE_AUTH`
 * chooses; `auto` takes the application when its id and secret are configured.
 */
let emulator: RunningCxoneEmulator;
const HTTP = { backoffBaseMs: 5, backoffCapMs: 50, timeoutMs: 10_000 };

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 3,
    contacts: 200,
  })) as RunningCxoneEmulator;
});
afterAll(() => emulator.close());
type Requests = { requests: Array<{ method: string; path: string; status: number }> };
const logged = async () => ((await adminCall(emulator.url, "GET", "/requests")) as Requests).requests;
/** Requests before this test's first (the log is not cleared by a reset). */
let seen = 0;
beforeEach(async () => {
  await adminCall(emulator.url, "POST", "/reset");
  seen = (await logged()).length;
});
const tokenRequests = async () =>
  (await logged())
    .slice(seen)
    .filter((r) => r.path === "/auth/token" || r.path === "/authentication/v1/token/access-key")
    .map((r) => `${r.path} ${r.status}`);

function env(extra: Record<string, string> = {}, app = false): Record<string, string> {
  const f = emulator.fixtures;
  return {
    ...accessKeyEnv(emulator),
    ...(app ? { CXONE_CLIENT_ID: f.client.clientId, CXONE_CLIENT_SECRET: f.client.clientSecret } : {}),
    ...extra,
  };
}

function clientOf(e: Record<string, string>) {
  const options = clientOptionsFromSettings(loadSettings({ cwd: "/nonexistent", env: e }));
  return createClient({
    ...options,
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-login-")),
    http: { ...options.http, ...HTTP },
  });
}

describe("production login: cxone.auth (CXONE_AUTH)", () => {
  it("auto without an application logs in with the access key alone, then discovers the tenant's API", async () => {
    const client = clientOf(env());
    try {
      const info = await client.port.access.describe();
      expect(info).toMatchObject({
        platform: "cxone",
        login: "access-key",
        tenantId: emulator.fixtures.tenant.tenantId,
        apiEndpoint: emulator.url,
      });
      expect(info.clientId).toBeUndefined();
      expect(client.connection).toMatchObject({ platform: "cxone", login: "access-key" });
      const skills = await client.port.campaigns.get(
        String(emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")!.skillId),
      );
      expect(skills).toBeTruthy();
      expect(await tokenRequests()).toEqual(["/authentication/v1/token/access-key 200"]);
    } finally {
      await client.close();
    }
  });

  it("auto with an application's id and secret uses the password grant; CXONE_AUTH=access-key overrides it", async () => {
    const app = clientOf(env({}, true));
    const key = clientOf(env({ CXONE_AUTH: "access-key" }, true));
    try {
      expect((await app.port.access.describe()).login).toBe("application");
      expect(await tokenRequests()).toEqual(["/auth/token 200"]);
      const viaKey = await key.port.access.describe();
      expect(viaKey.login).toBe("access-key");
      expect(await tokenRequests()).toEqual(["/auth/token 200", "/authentication/v1/token/access-key 200"]);
    } finally {
      await app.close();
      await key.close();
    }
  });

  it("renews an access-key token by logging in again when CXone revokes it (a 401), once", async () => {
    const client = clientOf(env());
    try {
      const skillId = String(emulator.fixtures.skills[0]!.skillId);
      await client.port.campaigns.get(skillId);
      await adminCall(emulator.url, "POST", "/faults", { expireTokens: true });
      await Promise.all([client.port.campaigns.get(skillId), client.port.campaigns.get(skillId)]);
      expect(await tokenRequests()).toEqual([
        "/authentication/v1/token/access-key 200",
        "/authentication/v1/token/access-key 200",
      ]);
    } finally {
      await client.close();
    }
  });

  it("a wrong access key is refused with CXone's words and the settings to check", async () => {
    const client = clientOf(env({ CXONE_ACCESS_KEY_SECRET: "not-the-secret-at-all" }));
    try {
      const error = await client.port.access.describe().then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/invalid access key id or secret/);
      expect(error?.message).toMatch(/access-key login URL/);
    } finally {
      await client.close();
    }
  });

  it("the login URL defaults from cxone.area (CXONE_AREA, default na1); application needs the app", () => {
    const of = (e: Record<string, string>) =>
      requireProductionConnection(loadSettings({ cwd: "/nonexistent", env: e }));
    const base = {
      CXONE_PLATFORM: "cxone",
      CXONE_ACCESS_KEY_ID: "id",
      CXONE_ACCESS_KEY_SECRET: "secret-value",
    };
    expect(of(base)).toMatchObject({
      login: "access-key",
      accessKeyUrl: "https://na1.nice-incontact.com/authentication/v1/token/access-key",
    });
    expect(of({ ...base, CXONE_AREA: "eu1" }).accessKeyUrl).toBe(
      "https://eu1.nice-incontact.com/authentication/v1/token/access-key",
    );
    expect(() => of({ ...base, CXONE_AUTH: "application" })).toThrow(ConfigError);
    expect(() => of({ ...base, CXONE_AUTH: "application" })).toThrow(/cxone\.clientId/);
    expect(() => of({ ...base, CXONE_AUTH: "token" })).toThrow(/CXONE_AUTH/);
    expect(() => of({ ...base, CXONE_AREA: "https://x" })).toThrow(/CXONE_AREA/);
  });

  it("a configured client-auth method wins over discovery: a body-only application logs in", async () => {
    // GEN's discovery schema lists only client_secret_basic; this app is registered for post.
    await adminCall(emulator.url, "POST", "/knobs", { advertisedClientAuth: "basic", appClientAuth: "post" });
    const body = clientOf(env({ CXONE_AUTH: "application", CXONE_AUTH_CREDENTIALS: "body" }, true));
    const unset = clientOf(env({ CXONE_AUTH: "application" }, true));
    try {
      expect((await body.port.access.describe()).login).toBe("application");
      // Unset, discovery decides (Basic here), and this app refuses it.
      await expect(unset.port.access.describe()).rejects.toThrow(/registered for client_secret_post/);
    } finally {
      await body.close();
      await unset.close();
    }
  });
});

describe("the login's discovery reads, on the client's clock", () => {
  /** A production client logging in with the application (OpenID discovery first), on `clock`. */
  function connectOn(clock: VirtualClock, http: Record<string, number> = {}) {
    const settings = loadSettings({ cwd: "/nonexistent", env: env({ CXONE_AUTH: "application" }, true) });
    const { core, port } = connectProductionApi(
      requireProductionConnection(settings),
      {
        http: { ...settings.http, ...HTTP, ...http },
        rateLimits: {},
        clock,
        limits: new RateLimitRegistry({}, 1, { clock }),
        requestNumbers: requestNumbers(),
      },
      settings.cxone.productionApi,
    );
    const events: HttpEvent[] = [];
    core.http.on((event) => events.push(event));
    return { core, port, events };
  }
  const isOpenId = (e: HttpEvent): e is Exclude<HttpEvent, { type: "throttle" | "token" }> =>
    e.type !== "throttle" && e.type !== "token" && e.endpoint === "GET /.well-known/openid-configuration";

  it("an OpenID discovery read answered 503 then 200 is told (request, response, retry: one requestNo) and waits on the client's clock", async () => {
    const clock = new VirtualClock();
    const { core, port, events } = connectOn(clock);
    try {
      // The first request of the auth group is the OpenID discovery: a 503 that asks for 20 s.
      await adminCall(emulator.url, "POST", "/faults", {
        group: "auth",
        errorRate: 1,
        errorStatus: 503,
        count: 1,
        retryAfterFormat: "seconds",
        retryAfter: 20,
      });
      const described = port.access.describe();
      await waitUntil(() => events.some((e) => isOpenId(e) && e.type === "retry"), {
        what: "the discovery read's retry, told",
      });
      // Its 20 s wait is a timer of the client's clock, not of the wall clock: nothing moves until the test moves it.
      expect(clock.pending()).toContain(20_000);
      clock.advance(20_000);
      expect((await described).login).toBe("application");
      const openId = events.filter(isOpenId);
      expect(openId.map((e) => [e.type, e.type === "response" ? e.status : e.attempt])).toEqual([
        ["request", 1],
        ["response", 503],
        ["retry", 1],
        ["request", 2],
        ["response", 200],
      ]);
      expect(new Set(openId.map((e) => e.requestNo)).size).toBe(1);
      expect(new Set(openId.map((e) => e.group))).toEqual(new Set(["token"]));
      expect(openId.find((e) => e.type === "retry")).toMatchObject({
        delayMs: 20_000,
        cause: { status: 503 },
      });
      // The login and the tenant's discovery follow, each under a number of its own.
      const calls = events.flatMap((e) => (e.type === "request" ? [e] : []));
      expect(calls.map((e) => e.endpoint)).toEqual([
        "GET /.well-known/openid-configuration",
        "GET /.well-known/openid-configuration",
        "POST /auth/token",
        "GET /.well-known/cxone-configuration",
      ]);
      expect(new Set(calls.map((e) => e.requestNo)).size).toBe(3);
    } finally {
      await core.close();
    }
  });

  it("a client with http.maxAttempts 1 reads the OpenID discovery once: the login's limits, lowered by the client's, bound discovery too", async () => {
    const clock = new VirtualClock();
    const { core, port, events } = connectOn(clock, { maxAttempts: 1 });
    try {
      // A bare 503 (no Retry-After: not throttling, so counted against the attempts), once.
      await adminCall(emulator.url, "POST", "/faults", {
        group: "auth",
        errorRate: 1,
        errorStatus: 503,
        count: 1,
      });
      let outcome: unknown;
      const described = port.access.describe().then(
        () => {
          outcome = "logged in";
        },
        (error: unknown) => {
          outcome = error;
        },
      );
      // A second attempt would first be told as a retry (its wait is on the virtual clock, which
      // nothing moves): whichever comes first, the login's end or that retry, ends the wait.
      await waitUntil(() => outcome !== undefined || events.some((e) => isOpenId(e) && e.type === "retry"), {
        what: "the login to end, or the discovery read's retry to be told",
      });
      expect(events.filter(isOpenId).map((e) => [e.type, e.attempt])).toEqual([
        ["request", 1],
        ["response", 1],
      ]);
      await described;
      expect(outcome).toBeInstanceOf(ServerError);
      expect(outcome).toMatchObject({ status: 503, attempts: 1 });
      expect((outcome as Error).message).toMatch(/fetching the OpenID configuration/);
      // Nothing after it: no token request, no tenant discovery.
      expect(events.filter((e) => e.type === "request")).toHaveLength(1);
    } finally {
      await core.close();
    }
  });
});

describe("cxo auth check --json says which login ran", () => {
  it("access-key and application", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-login-cli-"));
    const [viaKey, viaApp] = await runCliBatch(
      [
        { args: ["--json", "auth", "check"], env: { ...env(), CXO_DATA_DIR: dataDir }, cwd: dataDir },
        { args: ["--json", "auth", "check"], env: { ...env({}, true), CXO_DATA_DIR: dataDir }, cwd: dataDir },
      ],
      1,
    );
    expect(viaKey!.code, viaKey!.stderr).toBe(0);
    expect(JSON.parse(viaKey!.stdout)).toMatchObject({ platform: "cxone", login: "access-key" });
    expect(viaApp!.code, viaApp!.stderr).toBe(0);
    expect(JSON.parse(viaApp!.stdout)).toMatchObject({
      platform: "cxone",
      login: "application",
      clientId: emulator.fixtures.client.clientId,
    });
  });
});
