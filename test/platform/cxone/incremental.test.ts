import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CxoneClient, clientOptionsFromSettings, createClient } from "../../../src/client.ts";
import { loadSettings } from "../../../src/core/config/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { accessKeyEnv } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";
import { runCli } from "../../support/run-cli.ts";

/**
 * The incremental mode of /contacts/completed end to end (issue 29): `updatedSince` +
 * `orderBy=lastUpdateTime asc`, 304 = no change, through the SDK (`outcomes.exportChanges`) and
 * the CLI (`outcomes export --updated-since ISO | --since-last`), with the per-campaign cursor
 * kept in the store.
 */
let emulator: RunningCxoneEmulator;
let skillId = "";
let env: (dataDir: string) => Record<string, string>;
type Logged = { method: string; path: string; status: number; query: Record<string, string> };
const requests = async () =>
  ((await adminCall(emulator.url, "GET", "/requests")) as { requests: Logged[] }).requests;
const dir = () => mkdtempSync(path.join(tmpdir(), "cxo-incremental-"));
const ids = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { id: string }).id);

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 29,
    contacts: 3000,
    // Contacts at any hour: the realistic history has none 11:00–12:00 UTC (no NANP number is
    // callable), and this file reads recent contacts (it failed when run in that hour).
    history: "any-hour",
  })) as RunningCxoneEmulator;
  skillId = String(
    emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isActive)!.skillId,
  );
  env = (dataDir) => ({
    ...accessKeyEnv(emulator),
    CXO_DATA_DIR: dataDir,
  });
});
afterAll(() => emulator.close());

function client(dataDir: string): CxoneClient {
  const options = clientOptionsFromSettings(loadSettings({ cwd: "/nonexistent", env: env(dataDir) }));
  return createClient({ ...options, dataDir, http: { ...options.http, rateLimitScale: 100 } });
}

/** Tags a completed contact of the skill through the API: its record changes (lastUpdateTime). */
async function changeOneContact(): Promise<string> {
  const contact = emulator.fixtures.completed.sample.find((x) => String(x.skillId) === skillId)!;
  const login = (await fetch(`${emulator.url}/authentication/v1/token/access-key`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      accessKeyId: env("").CXONE_ACCESS_KEY_ID,
      accessKeySecret: env("").CXONE_ACCESS_KEY_SECRET,
    }),
  }).then((r) => r.json())) as { access_token: string };
  const tagged = await fetch(
    `${emulator.url}/inContactAPI/services/v33.0/contacts/${contact.contactId}/tags`,
    {
      method: "POST",
      headers: {
        authorization: `Bearer ${login.access_token}`,
        accept: "application/json",
        "content-type": "application/json",
      },
      body: JSON.stringify({ tags: [{ tagId: emulator.fixtures.tags[0]!.tagId }] }),
    },
  );
  expect(tagged.status).toBe(200);
  return String(contact.contactId);
}

describe("incremental export (SDK): updatedSince, then since the last run", () => {
  it("starts from a given instant, says 304 without writing anything or moving the cursor, and picks up a change exactly once", async () => {
    const d = dir();
    const c = client(d);
    try {
      const first = await c.outcomes.exportChanges(
        { campaignId: skillId, updatedSince: emulator.fixtures.completed.windowStart },
        { out: path.join(d, "1.ndjson"), overlapMinutes: 0 },
      );
      expect(first.unchanged).toBe(false);
      expect(first.totalRecords).toBeGreaterThan(100);
      expect(ids(first.out)).toHaveLength(first.totalRecords);
      expect(new Set(ids(first.out)).size).toBe(first.totalRecords);
      const sent = (await requests()).filter((r) => r.path.endsWith("/contacts/completed"));
      expect(sent.length).toBeGreaterThan(0);
      for (const r of sent) {
        expect(r.query.updatedSince).toBeDefined();
        expect(r.query.orderBy).toBe("lastUpdateTime asc");
        expect(r.query.tags).toBe("true");
      }

      // Nothing changed since: CXone answers 304; an empty export, the cursor kept.
      const second = await c.outcomes.exportChanges(
        { campaignId: skillId },
        { out: path.join(d, "2.ndjson") },
      );
      expect(second).toMatchObject({
        unchanged: true,
        totalRecords: 0,
        updatedSince: first.nextUpdatedSince,
        nextUpdatedSince: first.nextUpdatedSince,
        bytes: 0,
      });
      expect(readFileSync(second.out, "utf8")).toBe("");
      const log = await requests();
      expect(log.at(-1)).toMatchObject({ path: expect.stringMatching(/contacts\/completed$/), status: 304 });

      // One contact changes: the next run writes it (and only it), the run after does not again.
      const changed = await changeOneContact();
      const third = await c.outcomes.exportChanges(
        { campaignId: skillId },
        { out: path.join(d, "3.ndjson"), overlapMinutes: 60 },
      );
      expect(third.unchanged).toBe(false);
      expect(ids(third.out)).toEqual([changed]);
      // Overlapping the last 60 minutes again: the change already written is skipped, not repeated.
      const fourth = await c.outcomes.exportChanges(
        { campaignId: skillId },
        { out: path.join(d, "4.ndjson") },
      );
      expect(ids(fourth.out)).not.toContain(changed);
      expect(fourth.skippedAlreadyExported).toBeGreaterThanOrEqual(1);
    } finally {
      await c.close();
    }
  }, 120_000);

  it("on the seed platform: NotSupportedError saying why and what to do instead, nothing sent", async () => {
    const d = dir();
    const seed = createClient(
      clientOptionsFromSettings(
        loadSettings({
          cwd: "/nonexistent",
          env: {
            CXONE_BASE_URL: "http://127.0.0.1:9",
            CXONE_CLIENT_ID: "x",
            CXONE_CLIENT_SECRET: "y",
            CXO_DATA_DIR: d,
          },
        }),
      ),
    );
    try {
      await expect(
        seed.outcomes.exportChanges(
          { campaignId: "101", updatedSince: "2026-01-01T00:00:00Z" },
          { out: path.join(d, "x.ndjson") },
        ),
      ).rejects.toMatchObject({
        name: "NotSupportedError",
        message: expect.stringMatching(
          /no filter on when a record changed.*`cxo outcomes export --from … --to …`/,
        ),
      });
    } finally {
      await seed.close();
    }
  });
});

describe.concurrent("incremental export (CLI): bad input", () => {
  it.each([
    [["--since-last", "--from", "2026-01-01T00:00:00Z"], "--from"],
    [["--updated-since", "yesterday"], "--updated-since"],
    [["--updated-since", "2026-01-01T00:00:00"], "--updated-since"],
    [["--since-last", "--updated-since", "2026-01-01T00:00:00Z"], "--since-last"],
    [["--since-last", "--format", "parquet"], "--format"],
    [["--since-last"], "--since-last"], // no earlier incremental export in this data directory
  ])(
    "bad input %j: exit 2 naming %s, nothing sent",
    async (args, flag) => {
      const d = dir();
      const before = (await requests()).filter((r) => r.path.endsWith("/contacts/completed")).length;
      const run = await runCli(
        ["outcomes", "export", "--campaign", skillId, ...args, "--out", path.join(d, "x.ndjson")],
        env(path.join(d, ".cxo")),
        { timeoutMs: 120_000 },
      );
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(flag);
      const after = (await requests()).filter((r) => r.path.endsWith("/contacts/completed")).length;
      expect(after).toBe(before);
    },
    300_000,
  );
});

describe("incremental export (CLI): outcomes export --updated-since | --since-last", () => {
  it("runs, remembers where it stopped, and a 304 writes nothing", async () => {
    const d = dir();
    const e = env(path.join(d, ".cxo"));
    const base = ["--json", "outcomes", "export", "--campaign", skillId, "--overlap-minutes", "0"];
    const first = await runCli(
      [
        ...base,
        "--updated-since",
        emulator.fixtures.completed.windowStart,
        "--out",
        path.join(d, "a.ndjson"),
      ],
      e,
      { timeoutMs: 120_000 },
    );
    expect(first.code, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.totalRecords).toBeGreaterThan(100);
    const again = await runCli([...base, "--since-last", "--out", path.join(d, "b.ndjson")], e, {
      timeoutMs: 120_000,
    });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      unchanged: true,
      totalRecords: 0,
      updatedSince: summary.nextUpdatedSince,
    });
  }, 300_000);
});

describe("incremental export with the TSR fields (issue 79 §4)", () => {
  it("stamps compliance.tsr's seller, telemarketer and robocall on every changed record", async () => {
    const d = dir();
    const options = clientOptionsFromSettings(loadSettings({ cwd: "/nonexistent", env: env(d) }));
    const c = createClient({
      ...options,
      dataDir: d,
      http: { ...options.http, rateLimitScale: 100 },
      tsr: {
        telemarketer: "Northwind Contact Centre",
        robocall: true,
        campaigns: { [skillId]: { seller: "Acme Solar LLC" } },
      },
    });
    try {
      const run = await c.outcomes.exportChanges(
        { campaignId: skillId, updatedSince: emulator.fixtures.completed.windowStart },
        { out: path.join(d, "tsr.ndjson"), overlapMinutes: 0 },
      );
      expect(run.totalRecords).toBeGreaterThan(100);
      const records = readFileSync(path.join(d, "tsr.ndjson"), "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      for (const r of records)
        expect(r).toMatchObject({
          seller: "Acme Solar LLC",
          telemarketer: "Northwind Contact Centre",
          robocall: true,
        });
    } finally {
      await c.close();
    }
  });
});
