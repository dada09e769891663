import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncCxoneDnc } from "../../src/compliance/cxone-dnc-sync.ts";
import type { EvidenceRecord } from "../../src/compliance/evidence/record.ts";
import { openStore, type StoreTarget } from "../../src/core/store/index.ts";
import type { DncGroup, DncGroupsPort } from "../../src/platform/ports/dnc-groups.ts";
import { type BackendName, STORE_BACKENDS, useStoreBackend } from "../store/fixtures/backends.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 102 §1 on either store: the CXone DNC copy's history (migration 18) and the consent
 * ledger, kept on SQLite or on PostgreSQL, give every attempt the same verdict as of its instant —
 * `cxo compliance evidence` run against each store over the same attempts, record by record, and
 * `--verify` of the PostgreSQL run's file against its own store.
 */
const ADDED = "+13052221000"; // in the CXone group from Tuesday 14:00 to Wednesday 14:00 (UTC)
const TEXTED = "+13052221001"; // revoked by text on Tuesday 16:00 (UTC)
const CLOCK = "2026-10-08T12:00:00Z";

const groupOf = (phones: string[]): DncGroup & { phones: string[] } => ({
  groupId: "7",
  name: "Revoked",
  active: true,
  scrubbedSkillIds: ["C1"],
  records: phones.length,
  phones,
});

function portOf(group: DncGroup & { phones: string[] }): DncGroupsPort {
  return {
    list: async () => [{ ...group }],
    async *records() {
      for (const phone of group.phones) yield { phone, expiresAt: undefined };
    },
    search: async () => [],
    addRecords: async () => ({ refused: [] }),
    create: async () => {
      throw new Error("not used");
    },
    scrubSkill: async () => undefined,
  };
}

const outcome = (id: string, phone: string, startTime: string) => ({
  id,
  campaignId: "C1",
  startTime,
  endTime: null,
  durationSeconds: 30,
  dispositionCode: "NO_ANSWER",
  reasonCodeId: null,
  agentId: null,
  contactId: null,
  phoneNumber: phone,
  direction: "outbound",
  tags: [],
  notes: null,
  dispositionUpdatedAt: null,
  callerId: null,
  extra: null,
});

const ATTEMPTS = [
  outcome("added-before-any-copy", ADDED, "2026-10-05T13:00:00.000Z"),
  outcome("added-monday", ADDED, "2026-10-05T15:00:00.000Z"),
  outcome("added-tuesday", ADDED, "2026-10-06T15:00:00.000Z"),
  outcome("added-wednesday", ADDED, "2026-10-07T15:00:00.000Z"),
  outcome("texted-before-the-text", TEXTED, "2026-10-06T15:50:00.000Z"),
  outcome("texted-after-the-text", TEXTED, "2026-10-07T15:10:00.000Z"),
];

type Verdicts = Map<string, { allowed: boolean; codes: string[]; cxone: unknown; suppressions: string[] }>;
const verdicts: Partial<Record<BackendName, Verdicts>> = {};

/** The store's environment for the CLI: the data dir, and on PostgreSQL the store's URL. */
const envOf = (target: StoreTarget): Record<string, string> => {
  const t = target as { dataDir: string; store?: { url: string } };
  return { CXO_DATA_DIR: t.dataDir, ...(t.store ? { CXO_DATABASE_URL: t.store.url } : {}), CXO_CLOCK: CLOCK };
};

describe.each(STORE_BACKENDS)("evidence as of each attempt on %s", (name) => {
  const backend = useStoreBackend(name);
  let env: Record<string, string> = {};
  let file = "";
  let remove = () => {};
  let made = { code: -1 as number | null, stdout: "", stderr: "" };

  beforeAll(async () => {
    const location = await backend.fresh();
    remove = location.remove;
    env = envOf(location.target);
    const store = await openStore(location.target);
    try {
      const sync = (startIso: string, phones: string[]) => {
        let calls = 0;
        const start = Date.parse(startIso);
        return syncCxoneDnc(store, portOf(groupOf(phones)), { now: () => start + 60_000 * calls++ });
      };
      await sync("2026-10-05T14:00:00Z", []);
      await sync("2026-10-06T14:00:00Z", [ADDED]);
      await sync("2026-10-07T14:00:00Z", []);
    } finally {
      await store.close();
    }
    const revoked = await runCli(
      ["consent", "revoke", "--phone", TEXTED, "--channel", "sms", "--at", "2026-10-06T16:00:00Z"],
      env,
    );
    // Recorded here (no CXone connection: pending for CXone's group, said on stderr).
    expect(revoked.stderr).toMatch(/recorded here/);
    const dir = env.CXO_DATA_DIR as string;
    const outcomes = path.join(dir, "..", `outcomes-${name}.ndjson`);
    writeFileSync(outcomes, ATTEMPTS.map((a) => `${JSON.stringify(a)}\n`).join(""));
    file = path.join(dir, "..", `evidence-${name}.ndjson`);
    made = await runCli(
      ["--json", "compliance", "evidence", "--file", outcomes, "--out", file, "--consent", "yes"],
      env,
    );
    const records = readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.startsWith('{"digest"'))
      .map((l) => JSON.parse(l) as EvidenceRecord);
    verdicts[name] = new Map(
      records.map((r) => [
        r.id,
        {
          allowed: r.allowed,
          codes: r.reasons.map((x) => x.code),
          cxone: r.dnc.cxone,
          suppressions: r.suppressions.map((s) => s.code),
        },
      ]),
    );
  }, 60_000);

  afterAll(() => remove());

  it("judges each attempt by the copy and the ledger as they were then", () => {
    expect(made.stderr).toBe("");
    expect(made.code).toBe(1);
    const v = verdicts[name] as Verdicts;
    expect(
      Object.fromEntries([...v].map(([id, { allowed, codes }]) => [id, allowed ? "allowed" : codes])),
    ).toEqual({
      "added-before-any-copy": "allowed",
      "added-monday": "allowed",
      "added-tuesday": ["cxone_dnc"],
      "added-wednesday": "allowed",
      "texted-before-the-text": "allowed",
      "texted-after-the-text": ["consent_revoked"],
    });
    expect(v.get("added-before-any-copy")?.cxone).toMatchObject({ status: "unknown" });
    expect(v.get("added-tuesday")?.cxone).toMatchObject({
      syncedAt: "2026-10-06T14:00:00.000Z",
      ageMinutes: 60,
    });
  });

  it("--verify recomputes every record against the same store", async () => {
    const verified = await runCli(["--json", "compliance", "evidence", "--verify", file], env);
    expect(verified.stderr).toBe("");
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, records: ATTEMPTS.length });
    expect(verified.code).toBe(0);
  });
});

describe("SQLite and PostgreSQL", () => {
  it("give every attempt the same verdict, record by record", () => {
    const [sqlite, postgres] = [verdicts.sqlite, verdicts.postgres];
    expect(sqlite?.size).toBe(ATTEMPTS.length);
    expect(postgres && Object.fromEntries(postgres)).toEqual(sqlite && Object.fromEntries(sqlite));
  });
});
