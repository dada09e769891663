import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "../../src/service/index.ts";
import { removeUser, saveUser, USERS_NAMESPACE } from "../../src/service/operators.ts";
import { type ServiceHarness, serviceHarness, until } from "./harness.ts";

/**
 * Issue 51 §2, §12, §14: a session follows its user's record — removed, demoted or given a new
 * password, the user's sessions are dead at once on every instance of the store, and so are
 * their live event streams (as on sign-out); `cxo users add|remove` are audited with who ran
 * them, sign-ins with the name and the client address.
 */
interface Signed {
  cookie: string;
  csrf: string;
}

const hash = (password: string) => bcrypt.hashSync(password, 4);

describe("a session follows its user (HTTP)", () => {
  let h: ServiceHarness;
  let svc: RunningService;
  let campaign: string;

  async function signIn(user: string, password: string, url = svc.url): Promise<Signed> {
    const response = await fetch(`${url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user, password }),
    });
    expect(response.status).toBe(200);
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    return { cookie: (response.headers.get("set-cookie") ?? "").split(";")[0] as string, csrf: csrfToken };
  }
  const add = (name: string, role: "viewer" | "operator", password: string) =>
    saveUser(svc.store, { name, role, passwordHash: hash(password), createdAt: new Date().toISOString() });
  const resume = (who: Signed, url = svc.url) =>
    fetch(`${url}/api/campaigns/${campaign}/resume`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: who.cookie, "x-csrf-token": who.csrf },
      body: JSON.stringify({ intent: `intent-${Math.random().toString(36).slice(2, 12)}` }),
    });
  const statusWrites = async () =>
    (await h.requests()).filter((r) => r.method !== "GET" && r.path.includes(campaign));
  /** An open event stream: `ended` turns true when the service ends it. */
  async function stream(who: Signed): Promise<{ ended: () => boolean }> {
    const response = await fetch(`${svc.url}/api/events`, { headers: { cookie: who.cookie } });
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let ended = false;
    void (async () => {
      try {
        for (;;) if ((await reader.read()).done) break;
      } catch {
        // reset: ended too
      }
      ended = true;
    })();
    return { ended: () => ended };
  }

  beforeAll(async () => {
    h = await serviceHarness();
    campaign = h.campaignIds[0] as string;
    svc = await h.start({ service: { pollIntervalSeconds: 3600, passwordHashCost: 4 } });
    // Someone must be able to sign in, or the board is the open read-only one.
    await add("keeper", "viewer", "the keeper's long password");
  }, 60_000);
  afterAll(() => h?.close());

  it("a removed operator's session is refused at once (401), here and on another instance; nothing sent", async () => {
    await add("tempop", "operator", "tempop's long password");
    const other = await h.start({ service: { pollIntervalSeconds: 3600, passwordHashCost: 4 } });
    const here = await signIn("tempop", "tempop's long password");
    const there = await signIn("tempop", "tempop's long password", other.url);
    expect((await fetch(`${svc.url}/api/session`, { headers: { cookie: here.cookie } })).status).toBe(200);
    await removeUser(svc.store, "tempop");
    await h.admin$("DELETE", "/requests");
    expect((await resume(here)).status).toBe(401);
    expect((await resume(there, other.url)).status).toBe(401);
    expect((await fetch(`${other.url}/api/session`, { headers: { cookie: here.cookie } })).status).toBe(401);
    expect(await statusWrites()).toEqual([]);
    await other.close();
  });

  it("re-added as a viewer with a new password, the old operator session is dead", async () => {
    await add("opal", "operator", "opal's first long password");
    const old = await signIn("opal", "opal's first long password");
    await add("opal", "viewer", "opal's second long password");
    await h.admin$("DELETE", "/requests");
    expect((await resume(old)).status).toBe(401);
    expect((await fetch(`${svc.url}/api/dashboard`, { headers: { cookie: old.cookie } })).status).toBe(401);
    expect(await statusWrites()).toEqual([]);
    const fresh = await signIn("opal", "opal's second long password");
    const me = await fetch(`${svc.url}/api/session`, { headers: { cookie: fresh.cookie } });
    expect(await me.json()).toMatchObject({ user: "opal", role: "viewer" });
  });

  it("checks every request against the record, even one changed behind the service's back", async () => {
    await add("demi", "operator", "demi's long password!");
    const session = await signIn("demi", "demi's long password!");
    // Demoted in the store without ending sessions (an older build, a hand edit): still refused.
    const record = await svc.store.kv.get<Record<string, unknown>>(USERS_NAMESPACE, "demi");
    await svc.store.kv.set(USERS_NAMESPACE, "demi", { ...record, role: "viewer" });
    await h.admin$("DELETE", "/requests");
    expect((await resume(session)).status).toBe(401);
    expect(await statusWrites()).toEqual([]);
  });

  it("signing out ends the session's event streams; other sessions' streams stay", async () => {
    await add("sol", "viewer", "sol's long password!!");
    const leaving = await signIn("sol", "sol's long password!!");
    const staying = await signIn("keeper", "the keeper's long password");
    const mine = await stream(leaving);
    const theirs = await stream(staying);
    const out = await fetch(`${svc.url}/api/session`, {
      method: "DELETE",
      headers: { cookie: leaving.cookie, "x-csrf-token": leaving.csrf },
    });
    expect(out.status).toBe(204);
    await until(mine.ended, undefined, "the signed-out session's stream ended");
    expect(theirs.ended()).toBe(false);
  });

  it("removing the user ends their open streams (found by the hub's check of the store)", async () => {
    await add("rhea", "viewer", "rhea's long password!");
    const session = await signIn("rhea", "rhea's long password!");
    const open = await stream(session);
    await removeUser(svc.store, "rhea");
    await until(open.ended, undefined, "the removed user's stream ended");
  });

  it("audits sign-ins with name and address, successful or not", async () => {
    await signIn("keeper", "the keeper's long password");
    await fetch(`${svc.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "keeper", password: "a wrong password here" }),
    });
    const records = (await svc.store.audit.tail(10)).filter((r) => r.operation.startsWith("service.sign-in"));
    expect(records.at(-2)).toMatchObject({
      operation: "service.sign-in",
      actor: "board:keeper",
      target: "user:keeper",
      details: { user: "keeper", address: "127.0.0.1" },
    });
    expect(records.at(-1)).toMatchObject({
      operation: "service.sign-in-failed",
      actor: "sign-in@127.0.0.1",
      details: { user: "keeper", address: "127.0.0.1" },
    });
    expect(JSON.stringify(records)).not.toContain("wrong password");
  });

  it("`cxo users add|remove` are audited with the OS user who ran them (cli:<user>)", async () => {
    const config = path.join(h.dataDir, "cxo.config.yaml");
    writeFileSync(config, "service:\n  passwordHashCost: 4\n");
    const cli = (args: string[], input = "") =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [path.resolve("bin/cxo.js"), "--config", config, ...args], {
          env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", CXO_DATA_DIR: h.dataDir },
          stdio: ["pipe", "ignore", "ignore"],
        });
        child.stdin.end(input);
        child.on("close", resolve);
      });
    expect(await cli(["users", "add", "cliuser", "--role", "viewer"], "cliuser's long password\n")).toBe(0);
    expect(await cli(["users", "remove", "cliuser"])).toBe(0);
    const { userInfo } = await import("node:os");
    const records = (await svc.store.audit.tail(20)).filter((r) => r.target === "user:cliuser");
    expect(records.map((r) => [r.operation, r.actor])).toEqual([
      ["service.users.save", `cli:${userInfo().username}`],
      ["service.users.remove", `cli:${userInfo().username}`],
    ]);
  }, 30_000);
});
