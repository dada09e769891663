import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { openStore } from "../../src/core/store/index.ts";
import { type RunningService, startService } from "../../src/service/index.ts";
import { Operators, saveUser } from "../../src/service/operators.ts";

/**
 * Issue 63 N10 and N11. N10: a board user could be named `access-token` (audited like the token,
 * inheriting its browser session's grants), and the token's browser session saw no tenant,
 * though the docs call the token an admin: the name is reserved and the token is an admin, by
 * bearer and by its one-time code alike. N11: `service.users` took `role: admin, tenants:
 * [acme]` (an admin sees every tenant whatever it says): refused, as `cxo users add` refuses it.
 */
const TOKEN = "a-script-token-of-enough-length";
const HASH = bcrypt.hashSync("a long enough password", 4);

describe("the access token's name and role (N10), an admin's grants (N11)", () => {
  it("service.users refuses the name access-token and an admin with tenants, naming the field", () => {
    const named = settingsSchema.safeParse({
      service: { users: [{ name: "access-token", role: "viewer", passwordHash: HASH }] },
    });
    expect(named.success).toBe(false);
    expect(named.error?.issues[0]).toMatchObject({ path: ["service", "users", 0, "name"] });
    expect(named.error?.issues[0]?.message).toMatch(/access-token is the name of the service's access token/);
    const admin = settingsSchema.safeParse({
      service: { users: [{ name: "ada", role: "admin", tenants: ["acme"], passwordHash: HASH }] },
    });
    expect(admin.success).toBe(false);
    expect(admin.error?.issues[0]).toMatchObject({ path: ["service", "users", 0, "tenants"] });
    expect(admin.error?.issues[0]?.message).toMatch(
      /an admin sees and acts on every tenant: leave tenants out/,
    );
  });

  it("a stored user named access-token (an older store) is nobody", async () => {
    const store = await openStore(mkdtempSync(path.join(tmpdir(), "cxo-token-name-")), { actor: "test" });
    try {
      const at = new Date().toISOString();
      await saveUser(store, {
        name: "access-token",
        role: "operator",
        passwordHash: HASH,
        tenants: ["acme"],
        createdAt: at,
      });
      const operators = new Operators([], store, { hashCost: 4 });
      expect(await operators.find("access-token")).toBeUndefined();
      expect(await operators.verify("access-token", "a long enough password")).toBeNull();
    } finally {
      await store.close();
    }
  });

  describe("on a service for several business units", () => {
    let svc: RunningService;
    beforeAll(async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-token-admin-"));
      const tenant = (name: string) =>
        settingsSchema.parse({
          tenant: name,
          dataDir: path.join(dataDir, "tenants", name),
          service: { port: 0, pollIntervalSeconds: 3600 },
        });
      svc = await startService({
        settings: settingsSchema.parse({ dataDir, service: { port: 0, passwordHashCost: 4 } }),
        accessToken: TOKEN,
        tenants: [
          { name: "acme", settings: tenant("acme") },
          { name: "globex", settings: tenant("globex") },
        ],
      });
    }, 60_000);
    afterAll(() => svc?.close());

    it("the token is an admin: by bearer, and in the browser session its one-time code starts", async () => {
      const bearer = { authorization: `Bearer ${TOKEN}` };
      const who = await (await fetch(`${svc.url}/api/session`, { headers: bearer })).json();
      expect(who).toMatchObject({ user: "access-token", role: "admin", via: "token" });
      const { path: codePath } = (await (
        await fetch(`${svc.url}/api/session/code`, { method: "POST", headers: bearer })
      ).json()) as { path: string };
      const opened = await fetch(`${svc.url}${codePath}`, { redirect: "manual" });
      const cookie = (opened.headers.get("set-cookie") ?? "").split(";")[0] as string;
      expect(cookie).toMatch(/^cxo_session=/);
      const session = await (await fetch(`${svc.url}/api/session`, { headers: { cookie } })).json();
      expect(session).toMatchObject({ user: "access-token", role: "admin", via: "session" });
      const tenants = (await (await fetch(`${svc.url}/api/tenants`, { headers: { cookie } })).json()) as {
        tenants: Array<{ name: string }>;
      };
      expect(tenants.tenants.map((t) => t.name)).toEqual(["acme", "globex"]);
    });
  });
});
