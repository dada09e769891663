import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { type CxoneFixtures, type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { type RunningService, startService } from "../../src/service/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { waitUntil } from "../support/wait-until.ts";

/**
 * Issue 42 on the production platform: the board's names and an operator's action, end to end
 * against the production API's emulator (a campaign is a Personal Connection skill). Pausing
 * sends exactly one stop to the skill, audited with the operator; a viewer's pause sends nothing.
 */
let emu: RunningCxoneEmulator;
let svc: RunningService;
let skillId: string;
let skillName: string;
const users = [
  { name: "olivia", role: "operator", passwordHash: bcrypt.hashSync("olivia's long password", 4) },
  { name: "victor", role: "viewer", passwordHash: bcrypt.hashSync("victor's long password", 4) },
];

const writes = async () =>
  (
    (await adminCall(emu.url, "GET", "/requests")) as { requests: Array<{ method: string; path: string }> }
  ).requests.filter((r) => r.method !== "GET" && !r.path.includes("token") && !r.path.includes("access-key"));

async function signIn(user: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${svc.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user, password }),
  });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: (response.headers.get("set-cookie") ?? "").split(";")[0] as string, csrf: csrfToken };
}

const pause = (who: { cookie: string; csrf: string }, intent: string) =>
  fetch(`${svc.url}/api/campaigns/${skillId}/pause`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: who.cookie, "x-csrf-token": who.csrf },
    body: JSON.stringify({ intent }),
  });

beforeAll(async () => {
  emu = await startEmulator({ platform: "cxone", port: 0, seed: 42, contacts: 200 });
  const f = emu.fixtures as CxoneFixtures;
  const skill = f.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isRunning)!;
  skillId = String(skill.skillId);
  skillName = skill.skillName;
  const key = f.accessKeys.find((k) => !k.readOnly)!;
  svc = await startService({
    settings: settingsSchema.parse({
      cxone: {
        platform: "cxone",
        issuer: emu.url,
        accessKeyUrl: f.accessKeyUrl,
        accessKeyId: key.accessKeyId,
        accessKeySecret: key.accessKeySecret,
      },
      dataDir: mkdtempSync(path.join(tmpdir(), "cxo-console-cxone-")),
      http: { rateLimitScale: 1000, backoffBaseMs: 10, backoffCapMs: 100 },
      service: {
        port: 0,
        users,
        campaigns: [skillId],
        pollIntervalSeconds: 3600,
        livePollIntervalSeconds: 3600,
        // No caller-ID health check at start (issue 66; not this test's subject): ~1 s of CPU (issue 80).
        callerIdCheckHours: 0,
      },
    }),
  });
}, 120_000);
afterAll(async () => {
  await svc?.close();
  await emu?.close();
});

describe("the console on the production platform", () => {
  it("names the skill, refuses a viewer's pause, and an operator's pause stops the skill once, audited", async () => {
    const [olivia, victor] = await Promise.all([
      signIn("olivia", "olivia's long password"),
      signIn("victor", "victor's long password"),
    ]);
    // The first poll (at start) learns the skill's name: the board shows it, not the id.
    let board: { campaigns: Array<{ id: string; name: string | null }> } = { campaigns: [] };
    await waitUntil(
      async () => {
        const answer = await fetch(`${svc.url}/api/campaigns`, { headers: { cookie: victor.cookie } });
        board = (await answer.json()) as typeof board;
        return board.campaigns.find((c) => c.id === skillId)?.name;
      },
      { what: "the board to show the skill's name", intervalMs: 100 },
    ).catch(() => undefined); // the expectation below says what the board showed instead
    expect(board.campaigns.find((c) => c.id === skillId)?.name, JSON.stringify(board).slice(0, 800)).toBe(
      skillName,
    );
    await adminCall(emu.url, "DELETE", "/requests");
    expect((await pause(victor, "viewer-pause-1")).status).toBe(403);
    expect(await writes()).toEqual([]);
    const answer = await pause(olivia, "operator-pause-1");
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { actor: string; auditSeq: number };
    expect(body.actor).toBe("board:olivia");
    // The same intent again (a double click): the first answer, nothing more sent.
    await pause(olivia, "operator-pause-1");
    expect((await writes()).map((r) => `${r.method} ${r.path.replace(/.*\/services\/v[\d.]+/, "")}`)).toEqual(
      [`POST /skills/${skillId}/stop`],
    );
    const audit = (await svc.store.audit.tail(20)).find((r) => r.seq === body.auditSeq);
    expect(audit).toMatchObject({
      actor: "board:olivia",
      operation: "campaigns.set-status",
      target: skillId,
    });
  });
});
