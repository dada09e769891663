import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { EvidenceRecord } from "../../src/compliance/evidence/record.ts";
import { rememberAccountNumbers } from "../../src/consent/accounts.ts";
import { openStore } from "../../src/core/store/index.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 102 §3: each record carries what an auditor asks of the call — the caller ID and name
 * presented, duration, outcome and disposition, the abandoned and safe-harbour message flags, the
 * agent or AI agent, the recording reference, the attestation — as the source said them (absent
 * where it said nothing), and every debt the number was dialled for.
 */
const root = mkdtempSync(path.join(tmpdir(), "cxo-evidence-fields-"));
const dataDir = path.join(root, "data");
const env = { CXO_DATA_DIR: dataDir };
const PHONE = "+13052221000";
let byId = new Map<string, EvidenceRecord>();
let verified = { code: -1 as number | null, stdout: "" };

const base = {
  campaignId: "C1",
  endTime: null,
  reasonCodeId: null,
  contactId: null,
  phoneNumber: PHONE,
  direction: "outbound",
  tags: [],
  notes: null,
  dispositionUpdatedAt: null,
};

beforeAll(async () => {
  const store = await openStore(dataDir);
  try {
    await rememberAccountNumbers(
      store.db,
      [
        { account: "D-1", phone: PHONE },
        { account: "D-2", phone: PHONE },
      ],
      "test",
      "collections",
    );
  } finally {
    await store.close();
  }
  const file = path.join(root, "outcomes.ndjson");
  const rows = [
    {
      ...base,
      id: "full",
      startTime: "2026-10-06T14:00:00.000Z",
      durationSeconds: 95,
      dispositionCode: "11",
      agentId: "3001",
      callerId: "+18005550100",
      account: "D-1",
      extra: {
        dispositionName: "Promise to pay",
        endReason: "Contact Hung Up",
        abandoned: false,
        callerName: "ACME COLLECT",
        recordingId: "rec-9000001",
        attestation: "a",
      },
    },
    {
      ...base,
      id: "abandoned",
      startTime: "2026-10-06T15:00:00.000Z",
      durationSeconds: 4,
      dispositionCode: null,
      agentId: null,
      callerId: null,
      extra: { abandoned: true, safeHarborMessage: true, aiAgent: "va-collections" },
    },
  ];
  writeFileSync(file, rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
  const out = path.join(root, "evidence.ndjson");
  const made = await runCli(
    ["compliance", "evidence", "--file", file, "--out", out, "--consent", "yes"],
    env,
  );
  expect(made.stderr).toBe("");
  byId = new Map(
    readFileSync(out, "utf8")
      .split("\n")
      .filter((l) => l.startsWith('{"digest"'))
      .map((l) => JSON.parse(l) as EvidenceRecord)
      .map((r) => [r.id, r]),
  );
  verified = await runCli(["--json", "compliance", "evidence", "--verify", out], env);
}, 60_000);

describe("the fields an auditor asks for", () => {
  it("a call with an agent: caller ID and name presented, duration, outcome, disposition, agent, recording, attestation, its debt and every debt of the number", () => {
    expect(byId.get("full")).toMatchObject({
      callerId: "+18005550100",
      callerName: "ACME COLLECT",
      durationSeconds: 95,
      outcome: "Contact Hung Up",
      disposition: { code: "11", name: "Promise to pay" },
      abandoned: false,
      agent: "3001",
      recording: "rec-9000001",
      attestation: "A",
      account: "D-1",
      debts: ["D-1", "D-2"],
    });
    expect(byId.get("full")).not.toHaveProperty("aiAgent");
  });

  it("an abandoned call: the abandoned and safe-harbour message flags, the AI agent; what the source did not say is absent", () => {
    const r = byId.get("abandoned") as EvidenceRecord;
    expect(r).toMatchObject({
      abandoned: true,
      safeHarborMessage: true,
      aiAgent: "va-collections",
      durationSeconds: 4,
    });
    expect(r.account).toBeNull();
    expect(r.debts).toEqual(["D-1", "D-2"]);
    for (const absent of ["callerId", "callerName", "disposition", "agent", "recording", "attestation"])
      expect(r).not.toHaveProperty(absent);
  });

  it("the fields are covered by each record's digest: the file verifies", () => {
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, records: 2 });
  });
});
