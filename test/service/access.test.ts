import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/core/input-error.ts";
import { runCli } from "../support/run-cli.ts";
import { type ServiceHarness, serviceHarness, until } from "./harness.ts";

const TOKEN = "t0ken-for-the-service-tests-0123456789";

describe("cxo serve: binding and the access token", () => {
  let h: ServiceHarness;
  beforeAll(async () => {
    h = await serviceHarness();
  });
  afterAll(() => h.close());

  it("startService refuses a non-loopback address without an access token (InputError naming accessToken)", async () => {
    const attempt = h.start({ host: "0.0.0.0" });
    await expect(attempt).rejects.toBeInstanceOf(InputError);
    await expect(attempt).rejects.toThrow(/accessToken: is required to listen on 0\.0\.0\.0/);
  });

  it("`cxo serve --host 0.0.0.0` exits 2 with a clear message and sends nothing to CXone", async () => {
    await h.admin$("DELETE", "/requests");
    const result = await runCli(["serve", "--host", "0.0.0.0", "--port", "0"], {
      CXONE_BASE_URL: h.emulatorUrl,
      CXONE_CLIENT_ID: h.admin.clientId,
      CXONE_CLIENT_SECRET: h.admin.clientSecret,
      CXO_DATA_DIR: h.dataDir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--access-token: is required to listen on 0\.0\.0\.0/);
    expect(result.stdout).toBe("");
    expect(await h.requests()).toEqual([]);
  });

  it("`cxo serve --port 70000` and a too-short token are bad input (exit 2)", async () => {
    const env = { CXO_DATA_DIR: h.dataDir };
    const port = await runCli(["serve", "--port", "70000"], env);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("--port");
    const short = await runCli(["serve", "--port", "0", "--access-token", "short"], env);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("--access-token");
  });

  it("with a token every route but /api/health needs it (bearer or the login cookie)", async () => {
    const svc = await h.start({ host: "0.0.0.0", accessToken: TOKEN });
    const url = `http://127.0.0.1:${svc.port}`;
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    for (const route of ["/", "/api/dashboard", "/metrics", "/api/events", "/webhooks/cxone"])
      expect(
        (await fetch(`${url}${route}`, { method: route === "/webhooks/cxone" ? "POST" : "GET" })).status,
        route,
      ).toBe(401);
    expect(
      (await fetch(`${url}/api/dashboard`, { headers: { authorization: "Bearer wrong-token-wrong-token" } }))
        .status,
    ).toBe(401);
    const ok = await fetch(`${url}/api/dashboard`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).not.toContain(TOKEN);

    const { path } = (await (
      await fetch(`${url}/api/session/code`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}` },
      })
    ).json()) as { path: string };
    const login = await fetch(`${url}${path}`, { redirect: "manual" });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/");
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] as string;
    expect(login.headers.get("set-cookie")).toContain("HttpOnly");
    const page = await fetch(`${url}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain(TOKEN);
    await svc.close();
  });

  it("`cxo serve` prints its URL (--json: one document), serves, and exits 0 on SIGTERM", async () => {
    const { spawn } = await import("node:child_process");
    const path = await import("node:path");
    const child = spawn(process.execPath, [path.resolve("bin/cxo.js"), "--json", "serve", "--port", "0"], {
      env: {
        PATH: process.env.PATH ?? "",
        CXONE_BASE_URL: h.emulatorUrl,
        CXONE_CLIENT_ID: h.admin.clientId,
        CXONE_CLIENT_SECRET: h.admin.clientSecret,
        CXO_DATA_DIR: h.dataDir,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const doc: { url: string } = await until<{ url: string } | undefined>(
      () => {
        try {
          return JSON.parse(stdout) as { url: string };
        } catch {
          return undefined;
        }
      },
      15_000,
      "the URL on stdout",
    );
    expect(doc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${doc.url}/api/health`)).status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(JSON.parse(stdout)).toEqual(doc);
  });
});
