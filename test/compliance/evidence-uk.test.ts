import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { EvidenceRecord } from "../../src/compliance/evidence/record.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * UK numbers in the evidence: an attempt to a +44 number is judged by the UK's rows, as
 * `compliance check` judges it — a marketing call to a TPS number registered 27 days before is
 * allowed, 28 and 29 days before it is not (PECR regs 21, 26(3)) — with the registration date
 * kept in the record, so `--verify` recomputes the same verdicts.
 */
const root = mkdtempSync(path.join(tmpdir(), "cxo-evidence-uk-"));
const env = { CXO_DATA_DIR: path.join(root, "data"), CXO_CLOCK: "2026-12-02T12:00:00Z" };
const UK = "+447700900201";
let byId = new Map<string, EvidenceRecord>();
let verified = { code: -1 as number | null, stdout: "" };

const call = (id: string, startTime: string) => ({
  id,
  campaignId: "C1",
  startTime,
  endTime: null,
  durationSeconds: 30,
  dispositionCode: "NO_ANSWER",
  reasonCodeId: null,
  contactId: null,
  phoneNumber: UK,
  direction: "outbound",
  tags: [],
  notes: null,
  dispositionUpdatedAt: null,
});

beforeAll(async () => {
  writeFileSync(path.join(root, "tps.csv"), `phone,registeredAt\n${UK},2026-10-01\n`);
  const imported = await runCli(
    ["compliance", "dnc", "import", "--registry", "tps", "--as-of", "2026-11-01", path.join(root, "tps.csv")],
    env,
  );
  expect(imported.code, imported.stderr).toBe(0);
  const file = path.join(root, "outcomes.ndjson");
  const rows = [
    call("day27", "2026-10-28T12:00:00.000Z"),
    call("day28", "2026-10-29T12:00:00.000Z"),
    call("day29", "2026-10-30T12:00:00.000Z"),
  ];
  writeFileSync(file, rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
  const out = path.join(root, "evidence.ndjson");
  const made = await runCli(["compliance", "evidence", "--file", file, "--out", out], env);
  expect(made.code, made.stderr).toBe(1);
  byId = new Map(
    readFileSync(out, "utf8")
      .split("\n")
      .filter((l) => l.startsWith('{"digest"'))
      .map((l) => JSON.parse(l) as EvidenceRecord)
      .map((r) => [r.id, r]),
  );
  verified = await runCli(["--json", "compliance", "evidence", "--verify", out], env);
}, 60_000);

describe("evidence of calls to a UK number", () => {
  it("judges each by the TPS's 28-day rule, the registration date kept", () => {
    const codes = (id: string) => byId.get(id)?.reasons.map((r) => r.code);
    expect(byId.size).toBe(3);
    expect(byId.get("day27")).toMatchObject({ allowed: true, phone: UK });
    expect(codes("day28")).toEqual(["tps_registered"]);
    expect(codes("day29")).toEqual(["tps_registered"]);
    expect(byId.get("day28")?.dnc.registries).toEqual([
      expect.objectContaining({ registry: "tps", listed: true, registeredAt: "2026-10-01" }),
    ]);
    expect(byId.get("day28")?.jurisdictions).toContain("GB");
  });

  it("verifies: the verdicts recomputed from the records are the same", () => {
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, records: 3 });
  });
});
