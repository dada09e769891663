import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "../../src/service/index.ts";
import { saveUser } from "../../src/service/operators.ts";
import { SignInLimiter } from "../../src/service/sign-in-limiter.ts";
import { type ServiceHarness, serviceHarness } from "./harness.ts";

/**
 * Issue 42 §2, over HTTP: users and roles from the config, a session cookie (HttpOnly,
 * SameSite=Strict, Secure behind TLS), the CSRF token bound to the session, rate-limited sign-in,
 * sign-out, and the access token still working for scripts.
 */
const TOKEN = "a-script-token-of-enough-length";
// Cost 4 (and service.passwordHashCost 4 for the decoy): a test hashes in a millisecond.
const users = [
  { name: "olivia", role: "operator", passwordHash: bcrypt.hashSync("olivia's long password", 4) },
  { name: "victor", role: "viewer", passwordHash: bcrypt.hashSync("victor's long password", 4) },
];

describe("sign-in (HTTP)", () => {
  let h: ServiceHarness;
  let svc: RunningService;
  const signIn = (user: string, password: string, headers: Record<string, string> = {}) =>
    fetch(`${svc.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ user, password }),
    });
  const cookieOf = (response: Response) => (response.headers.get("set-cookie") ?? "").split(";")[0] as string;

  beforeAll(async () => {
    h = await serviceHarness();
    svc = await h.start({
      service: { users, pollIntervalSeconds: 3600, passwordHashCost: 4 },
      accessToken: TOKEN,
    });
  }, 60_000);
  afterAll(() => h?.close());

  it("sends an anonymous browser to the sign-in page and refuses the API", async () => {
    const page = await fetch(`${svc.url}/`, { redirect: "manual" });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/sign-in");
    expect((await fetch(`${svc.url}/sign-in`)).status).toBe(200);
    expect((await fetch(`${svc.url}/api/dashboard`)).status).toBe(401);
    expect((await fetch(`${svc.url}/api/session`)).status).toBe(401);
  });

  it("signs in: a session cookie (HttpOnly, SameSite=Strict; Secure over TLS) and a CSRF token", async () => {
    const response = await signIn("olivia", "olivia's long password");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { user: string; role: string; csrfToken: string };
    expect(body).toMatchObject({ user: "olivia", role: "operator" });
    expect(body.csrfToken.length).toBeGreaterThan(20);
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^cxo_session=[A-Za-z0-9_-]+;/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).not.toContain("Secure");
    // A client's own X-Forwarded-Proto is not believed (service.trustProxy is off): see trust-proxy.test.ts.
    const claimed = await signIn("olivia", "olivia's long password", { "x-forwarded-proto": "https" });
    expect(claimed.headers.get("set-cookie")).not.toContain("Secure");

    const cookie = cookieOf(response);
    const me = await fetch(`${svc.url}/api/session`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({
      user: "olivia",
      role: "operator",
      via: "session",
      csrfToken: body.csrfToken,
    });
    expect((await fetch(`${svc.url}/api/dashboard`, { headers: { cookie } })).status).toBe(200);
  });

  it("signs out only with the session's CSRF token, and the cookie is dead afterwards", async () => {
    const response = await signIn("victor", "victor's long password");
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    const cookie = cookieOf(response);
    const forged = await fetch(`${svc.url}/api/session`, { method: "DELETE", headers: { cookie } });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ error: "csrf" });
    const out = await fetch(`${svc.url}/api/session`, {
      method: "DELETE",
      headers: { cookie, "x-csrf-token": csrfToken },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await fetch(`${svc.url}/api/dashboard`, { headers: { cookie } })).status).toBe(401);
  });

  it("signs in a user kept in the store (cxo users add), shared by every instance", async () => {
    await saveUser(svc.store, {
      name: "sam",
      role: "viewer",
      passwordHash: bcrypt.hashSync("sam's long password!", 4),
      createdAt: new Date().toISOString(),
    });
    const response = await signIn("sam", "sam's long password!");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: "sam", role: "viewer" });
  });

  it("a session started on one instance is honoured by another on the same store", async () => {
    const other = await h.start({ service: { users, pollIntervalSeconds: 3600 }, accessToken: TOKEN });
    const response = await signIn("olivia", "olivia's long password");
    const cookie = cookieOf(response);
    const me = await fetch(`${other.url}/api/session`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ user: "olivia", via: "session" });
    await other.close();
  });

  it("refuses a wrong password like an unknown user, a form post, and limits failures (429)", async () => {
    const wrong = await signIn("olivia", "not the password at all");
    expect(wrong.status).toBe(401);
    const unknown = await signIn("nobody-here", "not the password at all");
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());
    const form = await fetch(`${svc.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "user=olivia&password=x",
    });
    expect(form.status).toBe(415);
    for (let i = 0; i < 3; i++) await signIn("mallory", `guess number ${i}`);
    // Five failures from this address (two above, three here): the sixth attempt waits.
    const limited = await signIn("olivia", "olivia's long password");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("keeps the access token working for scripts (Bearer); a browser signs in with a one-time code", async () => {
    const api = await fetch(`${svc.url}/api/session`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await api.json()).toMatchObject({ user: "access-token", role: "admin", via: "token" });
    // The token never goes in a URL: /?access_token= starts nothing.
    const old = await fetch(`${svc.url}/?access_token=${TOKEN}`, { redirect: "manual" });
    expect(old.headers.get("set-cookie") ?? "").not.toMatch(/^cxo_session=[^;]/);
    const minted = await fetch(`${svc.url}/api/session/code`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const { path } = (await minted.json()) as { path: string };
    expect(path).not.toContain(TOKEN);
    const link = await fetch(`${svc.url}${path}`, { redirect: "manual" });
    expect(link.status).toBe(303);
    expect(link.headers.get("location")).toBe("/");
    const cookie = cookieOf(link);
    expect(cookie).toMatch(/^cxo_session=/);
    const me = await fetch(`${svc.url}/api/session`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ user: "access-token", via: "session" });
    // Single use.
    expect((await fetch(`${svc.url}${path}`, { redirect: "manual" })).status).toBe(401);
  });
});

describe("the sign-in limiter", () => {
  it("refuses after five failures within the window and allows again once the oldest leaves it", () => {
    let now = 0;
    const limiter = new SignInLimiter({ maxFailures: 5, windowMs: 60_000 }, () => now);
    for (let i = 0; i < 5; i++) {
      const attempt = limiter.begin("a", `name-${i}`);
      expect(attempt.allowed).toBe(true);
      if (attempt.allowed) attempt.fail();
      now += 1000;
    }
    expect(limiter.begin("a", "someone")).toEqual({ allowed: false, waitMs: 55_000 });
    expect(limiter.begin("b", "someone").allowed).toBe(true);
    now = 60_001;
    expect(limiter.begin("a", "someone").allowed).toBe(true);
  });
});
