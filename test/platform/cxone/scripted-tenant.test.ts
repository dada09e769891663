import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../../src/client.ts";
import { loadSettings } from "../../../src/core/config/index.ts";
import { AuthError } from "../../../src/core/http/errors.ts";
import { PAGES_AHEAD } from "../../../src/platform/cxone/outcomes.ts";

/**
 * The production platform's auth flow over real HTTP, against a minimal issuer written for
 * this test: OpenID discovery → password grant with the access key → tenant from the JWT →
 * tenant discovery → API calls under /inContactAPI/services/v33.0 with the bearer token.
 */
const ACCESS_KEY_SECRET = "AKS-very-secret-value====";
const TENANT = "11111111-2222-3333-4444-555555555555";

interface Seen {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The `skip` query parameter, if any. */
  skip: string | null;
}

let server: Server;
let origin = "";
const seen: Seen[] = [];
const issuer = {
  methods: ["client_secret_basic", "client_secret_post"],
  tokens: 0,
  reject: false,
  revokeFirst: false,
};
const revoked = new Set<string>();
/** API answers a test scripts (path after /inContactAPI/services/v33.0, query). */
let api:
  | ((path: string, query: URLSearchParams) => { status: number; body?: unknown } | undefined)
  | undefined;

function jwt(claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `${part({ alg: "RS256" })}.${part(claims)}.sig`;
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (c: Buffer) => {
      body += c.toString();
    });
    request.on("end", () => {
      const url = new URL(request.url ?? "/", origin);
      seen.push({
        method: request.method ?? "",
        path: url.pathname,
        headers: request.headers,
        body,
        skip: url.searchParams.get("skip"),
      });
      const json = (status: number, value: unknown) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(value));
      };
      if (url.pathname === "/.well-known/openid-configuration")
        return json(200, {
          issuer: origin,
          token_endpoint: `${origin}/auth/token`,
          token_endpoint_auth_methods_supported: issuer.methods,
          scopes_supported: ["openid"],
        });
      if (url.pathname === "/.well-known/cxone-configuration")
        return url.searchParams.get("tenantId") === TENANT
          ? json(200, { api_endpoint: `${origin}/`, area: "na1", tenantId: TENANT })
          : json(404, { error: "NotFound" });
      if (url.pathname === "/auth/token") {
        if (issuer.reject) return json(400, { error: "invalid_grant", error_description: "bad access key" });
        issuer.tokens += 1;
        const now = Math.floor(Date.now() / 1000);
        return json(200, {
          access_token: jwt({
            tenantId: TENANT,
            role: { legacyId: "Administrator" },
            iat: now,
            exp: now + 3600,
            n: issuer.tokens,
          }),
          token_type: "Bearer",
          expires_in: 3600,
        });
      }
      const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1];
      if (!bearer || revoked.has(bearer)) return json(401, { error: "invalid_token" });
      if (issuer.revokeFirst) {
        issuer.revokeFirst = false;
        revoked.add(bearer);
        return json(401, { error: "invalid_token" });
      }
      const scripted = api?.(url.pathname.replace(/^\/inContactAPI\/services\/v33\.0/, ""), url.searchParams);
      if (scripted) {
        if (scripted.status === 204) {
          response.writeHead(204);
          return response.end();
        }
        return json(scripted.status, scripted.body);
      }
      if (/^\/inContactAPI\/services\/v33\.0\/server-time$/.test(url.pathname))
        return json(200, { ServerTime: "2025-03-03T15:04:05.000Z" });
      return json(404, { error: "NotFound" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  api = undefined;
  seen.length = 0;
  issuer.methods = ["client_secret_basic", "client_secret_post"];
  issuer.reject = false;
});

/**
 * The login's group at a rate no test here is about: the production default (2 a second, shared
 * by every client of the tenant in the process) held each test's first login a second behind the
 * test before's.
 */
const LIMITS = Object.fromEntries(
  ["token", "default"].map((g) => [g, { limit: 1000, per: "second", concurrency: 8 }]),
);

function client(env: Record<string, string> = {}) {
  return createInternalClient({
    ...clientOptionsFromSettings(
      loadSettings({
        env: {
          CXONE_PLATFORM: "cxone",
          CXONE_ISSUER: origin,
          CXONE_CLIENT_ID: "app-client",
          CXONE_CLIENT_SECRET: "app-client-secret",
          CXONE_ACCESS_KEY_ID: "AKID/with+chars",
          CXONE_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET,
          ...env,
        },
        cwd: "/nonexistent",
      }),
    ),
    rateLimits: LIMITS as never,
  });
}

describe("production platform auth", () => {
  it("discovers the token endpoint, sends the password grant with Basic client auth, reads the tenant and its API endpoint", async () => {
    const c = client();
    try {
      const info = await c.port.access.describe();
      expect(info).toMatchObject({
        platform: "cxone",
        tenantId: TENANT,
        apiEndpoint: origin,
        role: "Administrator",
        scopes: [],
      });
      expect(Date.parse(info.expiresAt)).toBeGreaterThan(Date.now() + 3500_000);
      const token = seen.find((s) => s.path === "/auth/token");
      expect(token?.headers.authorization).toBe(
        `Basic ${Buffer.from("app-client:app-client-secret").toString("base64")}`,
      );
      const form = new URLSearchParams(token?.body);
      expect(Object.fromEntries(form)).toEqual({
        grant_type: "password",
        username: "AKID/with+chars",
        password: ACCESS_KEY_SECRET,
      });
      expect(token?.body).toContain("password=AKS-very-secret-value%3D%3D%3D%3D");
      expect(seen.map((s) => s.path)).toEqual([
        "/.well-known/openid-configuration",
        "/auth/token",
        "/.well-known/cxone-configuration",
      ]);
    } finally {
      await c.close();
    }
  });

  it("puts the client credentials in the body when configured, or when the issuer takes only that", async () => {
    for (const [env, methods] of [
      [{ CXONE_AUTH_CREDENTIALS: "body" }, ["client_secret_basic", "client_secret_post"]],
      [{}, ["client_secret_post"]],
    ] as const) {
      seen.length = 0;
      issuer.methods = [...methods];
      const c = client(env);
      try {
        await c.port.access.describe();
        const token = seen.find((s) => s.path === "/auth/token");
        expect(token?.headers.authorization).toBeUndefined();
        expect(new URLSearchParams(token?.body).get("client_secret")).toBe("app-client-secret");
      } finally {
        await c.close();
      }
    }
  });

  it("one discovery and one token for many concurrent callers; a 401 renews the token once and retries", async () => {
    const c = client();
    try {
      const before = issuer.tokens;
      await Promise.all(Array.from({ length: 10 }, () => c.port.access.describe()));
      expect(issuer.tokens - before).toBe(1);
      expect(seen.filter((s) => s.path === "/.well-known/cxone-configuration")).toHaveLength(1);
      issuer.revokeFirst = true;
      const apiUrl = `${origin}/inContactAPI/services/v33.0/server-time`;
      const response = await c.core.http.request({
        method: "GET",
        path: apiUrl,
        group: "default",
        endpoint: "GET /server-time",
      });
      expect(response.body).toEqual({ ServerTime: "2025-03-03T15:04:05.000Z" });
      expect(issuer.tokens - before).toBe(2);
    } finally {
      await c.close();
    }
  });

  it("a refused access key is an AuthError naming the settings to check, never the secret", async () => {
    issuer.reject = true;
    const c = client();
    try {
      const error = await c.port.access.describe().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AuthError);
      expect((error as Error).message).toContain("access key id and secret");
      expect(JSON.stringify(error)).not.toContain(ACCESS_KEY_SECRET);
      expect((error as Error).message).not.toContain(ACCESS_KEY_SECRET);
    } finally {
      await c.close();
    }
  });

  it("a configured tenant that is not the token's is refused; cxone.baseUrl skips tenant discovery", async () => {
    const wrong = client({ CXONE_TENANT_ID: "99999999-0000-0000-0000-000000000000" });
    try {
      await expect(wrong.port.access.describe()).rejects.toThrow(/belongs to tenant/);
    } finally {
      await wrong.close();
    }
    seen.length = 0;
    const pinned = client({ CXONE_BASE_URL: `${origin}/` });
    try {
      expect((await pinned.port.access.describe()).apiEndpoint).toBe(origin);
      expect(seen.some((s) => s.path === "/.well-known/cxone-configuration")).toBe(false);
    } finally {
      await pinned.close();
    }
  });
});

describe("completed contacts on a scripted tenant: what the platform does not guarantee is re-checked", () => {
  const from = "2025-03-01T00:00:00.000Z";
  const to = "2025-03-02T00:00:00.000Z";
  const contact = (id: number, start: string, extra: Record<string, unknown> = {}) => ({
    contactId: id,
    contactStartDate: start,
    skillId: 101,
    isOutbound: true,
    primaryDispositionId: id % 2 === 0 ? 11 : 12,
    totalDurationSeconds: 60,
    ...extra,
  });
  // Page 2 repeats page 1's last contact (a row shifted under the offset); page 1 holds an inbound
  // contact and one outside [from, to); page 3 is a 204.
  const pages: Record<string, unknown[]> = {
    "0": [
      contact(1, "2025-03-01T01:00:00Z"),
      contact(2, "2025-03-01T02:00:00Z", { isOutbound: "False" }),
      contact(3, "2025-03-02T00:00:00Z"),
      contact(4, "2025-03-01T04:00:00Z"),
    ],
    "4": [
      contact(4, "2025-03-01T04:00:00Z"),
      contact(5, "2025-03-01T05:00:00Z"),
      contact(6, "2025-03-01T06:00:00Z"),
      contact(8, "2025-03-01T08:00:00Z"),
    ],
  };

  it("drops inbound, out-of-window and repeated contacts, follows skip to a 204, and filters codes", async () => {
    api = (path, query) => {
      // The campaign is checked once: an outbound skill.
      if (path === "/skills/101")
        return { status: 200, body: { skillId: 101, skillName: "PC Sales", isOutbound: true } };
      if (path !== "/contacts/completed") return undefined;
      const items = pages[query.get("skip") ?? ""];
      if (!items) return { status: 204 };
      const next = `${origin}/inContactAPI/services/v33.0/contacts/completed?skip=${Number(query.get("skip")) + 4}&top=4`;
      return {
        status: 200,
        body: { totalRecords: 99, _links: { self: "x", next }, completedContacts: items },
      };
    };
    const c = client();
    try {
      const query = { campaignId: "101", from, to, pageSize: 4 };
      expect((await c.port.outcomes.listCalls(query).toArray()).map((call) => call.id)).toEqual([
        "1",
        "4",
        "5",
        "6",
        "8",
      ]);
      const codes = await c.port.outcomes.listCalls({ ...query, dispositionCodes: ["11"] }).toArray();
      expect(codes.map((call) => call.id)).toEqual(["4", "6", "8"]);
      const listing = seen.filter((s) => s.path.endsWith("/contacts/completed"));
      // 3 pages (the last a 204), twice; totalRecords (99) overstates, so pages past the end
      // may also have been asked ahead (PAGES_AHEAD at most per listing, aborted at its end).
      const inListing = listing.filter((s) => ["0", "4", "8"].includes(s.skip ?? ""));
      expect(inListing.length).toBe(6);
      const ahead = listing.filter((s) => !inListing.includes(s));
      expect(ahead.length).toBeLessThanOrEqual(2 * PAGES_AHEAD);
      for (const s of ahead) expect(Number(s.skip)).toBeGreaterThan(8);
    } finally {
      await c.close();
    }
  });
});

describe("completed contacts: an answer cxo cannot read fails, never reads as no calls", () => {
  // These listings count a debt's calls (Regulation F, the state caps): a 200 whose records are
  // not where any source puts them must not be taken for "no call was made".
  const unknownShapes: Array<[string, unknown]> = [
    ["the records under another key", { totalRecords: 1, contacts: [{ contactId: 1, isOutbound: true }] }],
    ["no list at all", { totalRecords: 1, _links: { self: "x" } }],
  ];

  it.each(unknownShapes)("the window listing: %s", async (_name, body) => {
    api = (path) => {
      if (path === "/skills/101")
        return { status: 200, body: { skillId: 101, skillName: "PC Sales", isOutbound: true } };
      return path === "/contacts/completed" ? { status: 200, body } : undefined;
    };
    const c = client();
    try {
      const query = { campaignId: "101", from: "2025-03-01T00:00:00.000Z", to: "2025-03-02T00:00:00.000Z" };
      await expect(c.port.outcomes.listCalls(query).toArray()).rejects.toMatchObject({
        code: "cxone_unreadable_answer",
      });
    } finally {
      await c.close();
    }
  });

  it.each(unknownShapes)("the incremental listing: %s", async (_name, body) => {
    api = (path) => {
      if (path === "/skills/101")
        return { status: 200, body: { skillId: 101, skillName: "PC Sales", isOutbound: true } };
      return path === "/contacts/completed" ? { status: 200, body } : undefined;
    };
    const c = client();
    try {
      const changed = c.port.outcomes.changedCalls!({
        campaignId: "101",
        updatedSince: "2025-03-01T00:00:00Z",
      });
      const read = async () => {
        for await (const _call of changed);
      };
      await expect(read()).rejects.toMatchObject({ code: "cxone_unreadable_answer" });
    } finally {
      await c.close();
    }
  });

  it("an empty answer (204, or an empty list) is no calls", async () => {
    for (const answer of [
      { status: 204 },
      { status: 200, body: { totalRecords: 0, completedContacts: [] } },
    ]) {
      api = (path) => {
        if (path === "/skills/101")
          return { status: 200, body: { skillId: 101, skillName: "PC Sales", isOutbound: true } };
        return path === "/contacts/completed" ? answer : undefined;
      };
      const c = client();
      try {
        const query = { campaignId: "101", from: "2025-03-01T00:00:00.000Z", to: "2025-03-02T00:00:00.000Z" };
        expect(await c.port.outcomes.listCalls(query).toArray()).toEqual([]);
        const changed: unknown[] = [];
        for await (const call of c.port.outcomes.changedCalls!({ campaignId: "101", updatedSince: from0 }))
          changed.push(call);
        expect(changed).toEqual([]);
      } finally {
        await c.close();
      }
    }
  });
});
const from0 = "2025-03-01T00:00:00Z";
