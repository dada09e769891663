import type { RowGroup } from "hyparquet";
import { canonicalJson } from "../../core/audit/canonical-json.ts";
import {
  BooleanColumn,
  type ChunkContext,
  type ColumnEncoder,
  StringColumn,
  StringListColumn,
  TimestampColumn,
  writeRowGroup,
} from "../../outcomes/parquet/columns.ts";
import { ParquetTableWriter, type RowGroupLike } from "../../outcomes/parquet/dataset.ts";
import type { EvidenceManifest } from "./chain.ts";
import type { EvidenceRecord } from "./record.ts";

/**
 * An evidence file as Parquet (`--out FILE.parquet`), written by the outcomes export's Parquet
 * writer (outcomes/parquet: its column encoders, row groups and file framing): one row per record,
 * in the NDJSON file's order, with the fields one filters on as columns of their own — `id`, `at`
 * (UTC timestamp, ms), `phone`, `account`, `campaign`, `source`, `allowed`, `reason_codes` (a list),
 * `rule_ids` (the rows that applied), `zone_derivation`, `rule_book`, `digest`, `prev` (chain.ts) — and the whole
 * record, as the canonical JSON its digest is computed over (without `digest`), in `record`. So
 * `--verify` reads a Parquet file as it reads NDJSON, and DuckDB queries it as it is. The manifest
 * is in the footer's key/value metadata (`cxo.evidence.manifest`).
 */
export const EVIDENCE_COLUMNS = [
  "id",
  "at",
  "phone",
  "account",
  "campaign",
  "source",
  "allowed",
  "reason_codes",
  "rule_ids",
  "zone_derivation",
  "rule_book",
  "digest",
  "prev",
  "record",
] as const;

const text = (name: string, required = false) => ({
  name,
  type: "BYTE_ARRAY",
  converted_type: "UTF8",
  repetition_type: required ? "REQUIRED" : "OPTIONAL",
});
const list = (name: string) => [
  { name, repetition_type: "REQUIRED", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  text("element", true),
];

const SCHEMA = [
  { name: "root", num_children: EVIDENCE_COLUMNS.length },
  text("id", true),
  {
    name: "at",
    type: "INT64",
    repetition_type: "REQUIRED",
    logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" },
  },
  text("phone", true),
  text("account"),
  text("campaign"),
  text("source", true),
  { name: "allowed", type: "BOOLEAN", repetition_type: "OPTIONAL" },
  ...list("reason_codes"),
  ...list("rule_ids"),
  text("zone_derivation", true),
  text("rule_book", true),
  text("digest", true),
  text("prev", true),
  { name: "record", type: "BYTE_ARRAY", converted_type: "JSON", repetition_type: "REQUIRED" },
];

const ROWS_PER_GROUP = 16_384;
const MAX_GROUP_BYTES = 32 << 20;

class EvidenceRowGroup implements RowGroupLike {
  length = 0;
  private readonly id = new StringColumn("id", { required: true, dictionary: false });
  private readonly at = new TimestampColumn("at", { required: true, statistics: true });
  private readonly phone = new StringColumn("phone", { required: true, dictionary: false });
  private readonly account = new StringColumn("account", { dictionary: true });
  private readonly campaign = new StringColumn("campaign", { dictionary: true });
  private readonly source = new StringColumn("source", { required: true, dictionary: true });
  private readonly allowed = new BooleanColumn("allowed");
  private readonly reasons = new StringListColumn("reason_codes");
  private readonly rules = new StringListColumn("rule_ids");
  private readonly derivation = new StringColumn("zone_derivation", { required: true, dictionary: true });
  private readonly ruleBook = new StringColumn("rule_book", { required: true, dictionary: true });
  private readonly digest = new StringColumn("digest", { required: true, dictionary: false });
  private readonly prev = new StringColumn("prev", { required: true, dictionary: false });
  private readonly record = new StringColumn("record", { required: true, dictionary: false });
  private readonly columns: ColumnEncoder[] = [
    this.id,
    this.at,
    this.phone,
    this.account,
    this.campaign,
    this.source,
    this.allowed,
    this.reasons,
    this.rules,
    this.derivation,
    this.ruleBook,
    this.digest,
    this.prev,
    this.record,
  ];
  private bytes = 0;

  get full(): boolean {
    return this.length >= ROWS_PER_GROUP || this.bytes >= MAX_GROUP_BYTES;
  }

  add(record: EvidenceRecord, text: string): void {
    this.length += 1;
    this.bytes += text.length;
    this.id.add(record.id);
    this.at.add(Date.parse(record.at));
    this.phone.add(record.phone);
    this.account.add(record.account);
    this.campaign.add(record.campaign);
    this.source.add(record.source);
    this.allowed.add(record.allowed);
    this.reasons.add(record.reasons.map((r) => r.code));
    this.rules.add(record.rules.map((r) => r.id));
    this.derivation.add(record.zoneDerivation);
    this.ruleBook.add(record.ruleBook);
    this.digest.add(record.digest);
    this.prev.add(record.prev);
    this.record.add(text);
  }

  write(context: ChunkContext): RowGroup {
    return writeRowGroup(this.columns, this.length, context);
  }

  reset(): void {
    for (const column of this.columns) column.reset();
    this.length = 0;
    this.bytes = 0;
  }
}

/** A Parquet evidence file being written (renamed into place by `close`). */
export class EvidenceParquetWriter {
  private readonly table: ParquetTableWriter<EvidenceRowGroup>;

  constructor(file: string, mode?: number) {
    this.table = new ParquetTableWriter(file, new EvidenceRowGroup(), SCHEMA, {
      ...(mode === undefined ? {} : { mode }),
    });
  }

  /** `text`: the record's canonical JSON without its digest (what the digest is computed over). */
  add(record: EvidenceRecord, text: string): void {
    this.table.addRow((group) => group.add(record, text));
  }

  /** The manifest (chain.ts), in the footer's key/value metadata under `cxo.evidence.manifest`. */
  setManifest(manifest: EvidenceManifest): void {
    this.table.setMetadata([{ key: MANIFEST_KEY, value: canonicalJson(manifest) }]);
  }

  async close(): Promise<void> {
    await this.table.close().durable;
  }

  abandon(): void {
    this.table.abandon();
  }
}

/** The records of an evidence Parquet file, in order: each row's `record` text, `digest` and `prev`. */
export async function* evidenceParquetRows(
  file: string,
): AsyncGenerator<{ text: string; digest: string; prev: string | undefined }> {
  const { parquetRowGroups } = await import("../../outcomes/parquet/dataset.ts");
  const columns = (await parquetColumnNames(file)).includes("prev")
    ? ["record", "digest", "prev"]
    : ["record", "digest"];
  for await (const rows of parquetRowGroups(file, columns))
    for (const row of rows)
      yield {
        text: typeof row.record === "string" ? row.record : JSON.stringify(row.record),
        digest: String(row.digest),
        prev: typeof row.prev === "string" ? row.prev : undefined,
      };
}

const MANIFEST_KEY = "cxo.evidence.manifest";

/** The file's metadata: its columns and its manifest (undefined: none). */
async function parquetFooter(file: string): Promise<{ columns: string[]; manifest: unknown }> {
  const { asyncBufferFromFile, parquetMetadataAsync } = await import("hyparquet");
  const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file));
  const kept = metadata.key_value_metadata?.find((kv) => kv.key === MANIFEST_KEY)?.value;
  let manifest: unknown;
  try {
    manifest = kept === undefined ? undefined : JSON.parse(kept);
  } catch {
    manifest = null;
  }
  return { columns: metadata.schema.map((s) => s.name), manifest };
}

async function parquetColumnNames(file: string): Promise<string[]> {
  return (await parquetFooter(file)).columns;
}

/** The manifest an evidence Parquet file carries (undefined: none; null: not JSON). */
export async function evidenceParquetManifest(file: string): Promise<unknown> {
  return (await parquetFooter(file)).manifest;
}
