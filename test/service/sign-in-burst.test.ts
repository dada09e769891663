import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "../../src/service/index.ts";
import { HASH_COST, hashCost, Operators, USERS_NAMESPACE } from "../../src/service/operators.ts";
import { PasswordChecks } from "../../src/service/password-checks.ts";
import { type Attempt, SignInLimiter } from "../../src/service/sign-in-limiter.ts";
import { type ServiceHarness, serviceHarness } from "./harness.ts";

/**
 * Issue 51 §4, §5, §13 and 52 §2 (trustProxy): sign-in holds under a burst (each attempt counted
 * before its check, checks queued), unknown names cost what known ones cost, limits per address
 * and per name that never lock a name out from an address that did not fail, wrong bearer tokens
 * limited — and the client address is the proxy's word only when service.trustProxy says so.
 */
const TOKEN = "a-script-token-of-enough-length";
const users = [
  { name: "olivia", role: "operator", passwordHash: bcrypt.hashSync("olivia's long password", 4) },
];

function signIn(url: string, user: string, password: string, headers: Record<string, string> = {}) {
  return fetch(`${url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ user, password }),
  });
}

describe("sign-in under a burst (HTTP)", () => {
  let h: ServiceHarness;
  let svc: RunningService;
  let proxied: RunningService;

  beforeAll(async () => {
    h = await serviceHarness();
    const service = { users, pollIntervalSeconds: 3600, passwordHashCost: 4 };
    svc = await h.start({ service, accessToken: TOKEN });
    proxied = await h.start({ service: { ...service, trustProxy: ["127.0.0.1"] }, accessToken: TOKEN });
  }, 60_000);
  afterAll(() => h?.close());

  it("30 parallel wrong passwords for one user from one address: 5 checked (401), 25 refused (429); health answers", async () => {
    const burst = Array.from({ length: 30 }, (_, i) => signIn(svc.url, "olivia", `wrong guess ${i}`));
    const health = await fetch(`${svc.url}/api/health`);
    expect(health.status).toBe(200);
    const statuses = (await Promise.all(burst)).map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
  });

  it("wrong bearer tokens are limited per address (429, even for the right one after), apart from sign-ins", async () => {
    const fromA = { "x-forwarded-for": "192.0.2.10" };
    for (let i = 0; i < 5; i++) {
      const wrong = await fetch(`${proxied.url}/api/dashboard`, {
        headers: { ...fromA, authorization: `Bearer wrong-token-number-${i}-xxxxxxxx` },
      });
      expect(wrong.status).toBe(401);
    }
    const limited = await fetch(`${proxied.url}/api/dashboard`, {
      headers: { ...fromA, authorization: `Bearer ${TOKEN}` },
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const elsewhere = await fetch(`${proxied.url}/api/dashboard`, {
      headers: { "x-forwarded-for": "192.0.2.11", authorization: `Bearer ${TOKEN}` },
    });
    expect(elsewhere.status).toBe(200);
    // Sign-in from the same address is counted apart.
    expect((await signIn(proxied.url, "olivia", "olivia's long password", fromA)).status).toBe(200);
  });

  it("five failures for a name from one address never lock it out from another (trustProxy: the proxy's X-Forwarded-For)", async () => {
    const attacker = { "x-forwarded-for": "198.51.100.7" };
    for (let i = 0; i < 5; i++)
      expect((await signIn(proxied.url, "olivia", `guess ${i}`, attacker)).status).toBe(401);
    expect((await signIn(proxied.url, "olivia", "olivia's long password", attacker)).status).toBe(429);
    const olivia = await signIn(proxied.url, "olivia", "olivia's long password", {
      "x-forwarded-for": "198.51.100.8",
    });
    expect(olivia.status).toBe(200);
    const audit = (await proxied.store.audit.tail(5)).filter((r) => r.operation === "service.sign-in");
    expect(audit.at(-1)?.details).toMatchObject({ user: "olivia", address: "198.51.100.8" });
  });

  it("trustProxy: X-Forwarded-Proto https makes the cookie Secure; without it, a client's own header is ignored", async () => {
    const behindTls = await signIn(proxied.url, "olivia", "olivia's long password", {
      "x-forwarded-for": "203.0.113.1",
      "x-forwarded-proto": "https",
    });
    expect(behindTls.headers.get("set-cookie")).toContain("; Secure");
    // The same headers straight to a service that trusts no proxy: the socket's address, plain http.
    const direct = await signIn(svc.url, "olivia", "x", { "x-forwarded-for": "203.0.113.2" });
    expect(direct.status).toBe(429); // still 127.0.0.1, limited by the burst above
  });
});

describe("the password checks' queue", () => {
  it("runs at most `concurrent` checks at once, queues `queued`, answers busy beyond, and runs the queued ones", async () => {
    const checks = new PasswordChecks({ concurrent: 2, queued: 3 });
    const releases: Array<() => void> = [];
    let running = 0;
    let peak = 0;
    const check = () =>
      new Promise<boolean>((resolve) => {
        running++;
        peak = Math.max(peak, running);
        releases.push(() => {
          running--;
          resolve(false);
        });
      });
    const all = Array.from({ length: 10 }, () => checks.run(check));
    const settled = await Promise.all(
      all.map(async (p, i) => {
        // Let the queue fill, then release each started check as it starts.
        await new Promise((resolve) => setImmediate(resolve));
        while (releases.length > 0) releases.shift()?.();
        return [i, await p] as const;
      }),
    );
    expect(peak).toBe(2);
    expect(settled.filter(([, r]) => r.busy)).toHaveLength(5);
    expect(settled.filter(([, r]) => !r.busy)).toHaveLength(5);
    expect(checks.started).toBe(5);
  });
});

describe("unknown names cost what known ones cost", () => {
  function countingStore() {
    const gets: string[] = [];
    return {
      gets,
      store: {
        kv: {
          get: async (namespace: string, key: string) => {
            gets.push(`${namespace}/${key}`);
            return undefined;
          },
          list: async () => [],
        },
      } as unknown as ConstructorParameters<typeof Operators>[1],
    };
  }

  it("the decoy hash has the configured cost (default 12, as new hashes)", async () => {
    const { store } = countingStore();
    expect(hashCost(await new Operators([], store, { hashCost: 5 }).decoy())).toBe(5);
    expect(bcrypt.getRounds(await new Operators([], store, { hashCost: 6 }).decoy())).toBe(6);
    expect(HASH_COST).toBe(12);
  });

  it("an unknown name takes the known name's path: the same store look-up, then one comparison", async () => {
    const { store, gets } = countingStore();
    const operators = new Operators(users as never, store, { hashCost: 4 });
    expect(await operators.verify("olivia", "wrong password here")).toBeNull();
    const known = { gets: [...gets], checks: operators.checks.started };
    gets.length = 0;
    expect(await operators.verify("nobody", "wrong password here")).toBeNull();
    expect(gets).toEqual([`${USERS_NAMESPACE}/nobody`]);
    expect(known.gets).toEqual([`${USERS_NAMESPACE}/olivia`]);
    expect(operators.checks.started).toBe(known.checks + 1);
    expect(known.checks).toBe(1);
  });
});

describe("the sign-in limiter: per address, per name, never a global lock-out", () => {
  const fail = (attempt: Attempt) => {
    expect(attempt.allowed).toBe(true);
    if (attempt.allowed) attempt.fail();
  };

  it("five failures from one address refuse that address, not the name from another", () => {
    const limiter = new SignInLimiter({ maxFailures: 5, windowMs: 60_000 }, () => 0);
    for (let i = 0; i < 5; i++) fail(limiter.begin("a", "olivia"));
    expect(limiter.begin("a", "olivia").allowed).toBe(false);
    expect(limiter.begin("b", "olivia").allowed).toBe(true);
  });

  it("a name guessed from many addresses: each address that failed for it waits; a clean address does not", () => {
    const limiter = new SignInLimiter({ maxFailures: 5, windowMs: 60_000 }, () => 0);
    for (let i = 0; i < 5; i++) fail(limiter.begin(`bot-${i}`, "Olivia"));
    expect(limiter.begin("bot-0", "olivia").allowed).toBe(false);
    expect(limiter.begin("bot-0", "victor").allowed).toBe(true);
    expect(limiter.begin("office", "olivia").allowed).toBe(true);
  });

  it("counts an attempt before its check: parallel attempts cannot outrun the limit; a success is forgiven", () => {
    const limiter = new SignInLimiter({ maxFailures: 5, windowMs: 60_000 }, () => 0);
    const started = Array.from({ length: 8 }, () => limiter.begin("a", "olivia"));
    expect(started.filter((a) => a.allowed)).toHaveLength(5);
    for (const a of started) if (a.allowed) a.succeed();
    expect(limiter.begin("a", "olivia").allowed).toBe(true);
  });
});
