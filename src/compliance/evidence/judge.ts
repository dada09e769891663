import { type NanpNumber, parseNanpOrUk } from "../../core/phone-number.ts";
import { judgeCounted } from "../check-call.ts";
import type { CountedCall } from "../debt-calls.ts";
import type { DncList } from "../dnc.ts";
import type { ComplianceEngine } from "../engine.ts";
import type { DncRegistries, RegistryFinding } from "../registry/lookup.ts";
import type { RuleRow } from "../rule-table.ts";
import type { Suppression } from "../suppression.ts";
import type { Reason, Verdict } from "../verdict.ts";
import { GENESIS_DIGEST, LineBlock } from "./chain.ts";
import {
  type EvidenceCap,
  type EvidenceDerived,
  type EvidenceInputs,
  type EvidenceReason,
  type EvidenceRule,
  textOf,
} from "./record.ts";
import { rowDigest, rowsById } from "./rule-book.ts";

/**
 * An evidence record's decision, from its kept inputs alone (record.ts), by the engine that
 * `compliance check` uses (check-call.ts's judgeCounted: the rule table, Regulation F per debt):
 * what a record is made with and what `--verify` recomputes, so that the two can only differ when
 * the record, or the rule book, did. No next allowed instant is searched (the call was made).
 */
export function judgeInputs(
  engine: ComplianceEngine,
  inputs: EvidenceInputs,
  table: readonly RuleRow[],
): EvidenceDerived {
  const number = parseNanpOrUk(inputs.phone) as NanpNumber;
  if (!number) throw new Error(`evidence: ${inputs.phone} is not a NANP or UK number`);
  const atMs = Date.parse(inputs.at);
  const suppressions = inputs.suppressions as readonly Suppression[];
  const stops = inputs.textStops.map((t) => Date.parse(t));
  const dnc: DncList = {
    has: () => inputs.dnc.internal !== null,
    size: inputs.dnc.internal === null ? 0 : 1,
    suppressions: () => suppressions,
    textStops: () => stops,
  };
  const findings: RegistryFinding[] = inputs.dnc.registries.map((r) => ({
    registry: r.registry,
    asOf: r.asOf,
    listed: r.listed,
    ...(r.registeredAt === undefined ? {} : { registeredAt: r.registeredAt }),
  }));
  const registries: DncRegistries = { registries: [], findings: () => findings, close: () => {} };
  const counted: CountedCall[] = inputs.calls.map((c) => {
    const call: CountedCall = {
      id: c.id,
      phone: c.phone,
      atMs: Date.parse(c.at),
      channel: c.channel,
      conversation: c.conversation,
      source: c.source,
    };
    if (c.account !== undefined) call.accountId = c.account;
    if (c.campaign !== undefined) call.campaignId = c.campaign;
    if (c.seller !== undefined) call.seller = c.seller;
    return call;
  });
  const verdict = judgeCounted(
    engine,
    dnc,
    {
      number,
      atMs,
      zone: inputs.zone ?? undefined,
      state: inputs.state ?? undefined,
      zip: inputs.zip ?? undefined,
      consent: inputs.consent.basis === "none" ? undefined : true,
      campaignId: inputs.campaign ?? undefined,
      channel: inputs.channel,
      kind: inputs.kind ?? undefined,
      accountId: inputs.account ?? undefined,
      seller: inputs.seller ?? undefined,
      registrations: inputs.registrations ?? undefined,
      voice: inputs.voice ?? undefined,
      explainCaps: true,
      searchDays: 0,
      ruleTable: table,
    },
    counted,
    registries,
  );
  return derivedOf(verdict, table);
}

/** A row that applied, as a record lists it (keys in canonical order), made once per row. */
const listedRows = new WeakMap<RuleRow, EvidenceRule>();
function ruleOf(row: RuleRow): EvidenceRule {
  let rule = listedRows.get(row);
  if (!rule) {
    rule = {
      citation: row.citation,
      confidence: row.confidence,
      digest: rowDigest(row),
      effectiveFrom: row.effectiveFrom,
      ...(row.effectiveTo === undefined ? {} : { effectiveTo: row.effectiveTo }),
      id: row.id,
      jurisdiction: row.jurisdiction,
    };
    listedRows.set(row, rule);
  }
  return rule;
}

const evidenceReasonOf = (r: Reason): EvidenceReason => ({
  citation: r.citation,
  code: r.code,
  confidence: r.confidence,
  jurisdiction: r.jurisdiction,
  message: r.message,
  ruleId: r.ruleId,
  zone: r.zone,
});

/** The verdict as a record's derived fields (keys in canonical order, plain data). */
function derivedOf(verdict: Verdict, table: readonly RuleRow[]): EvidenceDerived {
  const byId = rowsById(table);
  const rules: EvidenceRule[] = [];
  for (const id of verdict.rules) {
    const row = byId.get(id);
    if (!row) continue;
    rules.push(ruleOf(row));
  }
  return {
    allowed: verdict.allowed,
    caps: (verdict.caps ?? []).map((c) => {
      const cap: EvidenceCap = {
        allowed: c.allowed,
        calls: c.touches.map((t) => t.id ?? `${t.phone ?? verdict.phone}@${t.at}`),
        counted: c.counted,
        counts: c.counts,
        max: c.max,
        per: c.per,
        ruleId: c.ruleId,
        windowHours: c.window.hours,
      };
      if (c.exempt !== undefined) cap.exempt = c.exempt;
      return cap;
    }),
    jurisdictions: [...verdict.jurisdictions],
    local: verdict.at,
    reasons: verdict.reasons.map(evidenceReasonOf),
    rules,
    ...(verdict.warnings === undefined ? {} : { warnings: verdict.warnings.map(evidenceReasonOf) }),
    zoneDerivation: verdict.zoneDerivation,
    zones: verdict.zoneSources.map((z) => ({ source: z.source, zone: z.zone })),
  };
}

/**
 * What a chunk of records judged comes to: the NDJSON lines of the records not allowed and of those
 * allowed, each group as one block of UTF-8 bytes in the chunk's order (each line ending in a line
 * feed; bytes, so that a thread hands them over without a copy and the writer writes them as they
 * are), each group's digests in that order, and each record's distinct reason codes (empty when
 * allowed). Within a group each line's `prev` is the digest of the line before it; the first line of
 * each group carries GENESIS_DIGEST, for the writer to set (output.ts: it alone knows the record
 * before).
 */
export interface JudgedChunk {
  notAllowed: Uint8Array<ArrayBuffer>;
  allowed: Uint8Array<ArrayBuffer>;
  digests: { notAllowed: string[]; allowed: string[] };
  codes: string[][];
}

/** Judges a chunk of kept inputs and writes each record (here or on a worker thread: judge-worker.ts). */
export function judgeChunk(
  engine: ComplianceEngine,
  chunk: readonly EvidenceInputs[],
  table: readonly RuleRow[],
): JudgedChunk {
  const notAllowed = new LineBlock();
  const allowed = new LineBlock();
  const digests = { notAllowed: [] as string[], allowed: [] as string[] };
  const codes: string[][] = [];
  for (const inputs of chunk) {
    const derived = judgeInputs(engine, inputs, table);
    const text = textOf(inputs, derived);
    const [block, group] = derived.allowed ? [allowed, digests.allowed] : [notAllowed, digests.notAllowed];
    group.push(block.addRecord(text, group.at(-1) ?? GENESIS_DIGEST));
    codes.push(derived.allowed ? [] : [...new Set(derived.reasons.map((r) => r.code))]);
  }
  return { notAllowed: notAllowed.bytes(), allowed: allowed.bytes(), digests, codes };
}
