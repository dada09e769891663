import { once } from "node:events";
import type { Writable } from "node:stream";
import type { Command } from "commander";
import type { AuditRecord } from "../../core/audit/index.ts";
import type { csvText as CsvText } from "../../core/csv-cell.ts";
import { InputError } from "../../core/input-error.ts";
import { printable } from "../../core/printable.ts";
import {
  createSafeWriteStream,
  type FileKind,
  kindByFirstLine,
  kindByJsonLines,
} from "../../core/safe-write.ts";
import { withContext } from "../context.ts";
import { withFlagNames, withFlagNamesSync } from "../flag-names.ts";
import { registerAnchorCommand } from "./audit-anchor.ts";

/** `cxo audit verify | tail | export`: check and read the hash-chained audit log. */

/** An audit export `cxo audit export` wrote, in `format` (what an existing --out must be). */
function auditExportKind(format: string): FileKind {
  return format === "csv"
    ? kindByFirstLine("audit export (CSV) written by cxo", (line) => line === CSV_COLUMNS.join(","))
    : kindByJsonLines("audit export (JSON lines) written by cxo", (line) => line.includes('"seq":'));
}

const CSV_COLUMNS = [
  "seq",
  "time",
  "actor",
  "operation",
  "target",
  "outcome",
  "status",
  "latencyMs",
  "idempotencyKey",
  "before",
  "after",
  "details",
  "prevHash",
  "hash",
] as const;

function positiveInt(field: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new InputError({ field, rule: "must be a positive integer" });
  return Number(text);
}

function humanLine(record: AuditRecord): string {
  const status = record.status === null ? "" : ` ${record.status}`;
  const latency = record.latencyMs === null ? "" : ` ${record.latencyMs}ms`;
  // Targets and actors carry what people typed (a failed sign-in's name): escaped, one line each.
  return `#${record.seq} ${record.time} ${printable(record.operation)} ${printable(record.target ?? "-")} ${record.outcome}${status}${latency} actor=${printable(record.actor ?? "-")}`;
}

function csvRow(record: AuditRecord, csvText: typeof CsvText): string {
  const json = (value: unknown) => (value === null ? "" : JSON.stringify(value));
  return csvText([
    CSV_COLUMNS.map((column) =>
      column === "before" || column === "after" || column === "details"
        ? json(record[column])
        : (record[column] ?? ""),
    ),
  ]);
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, "drain");
}

export function registerAuditCommands(program: Command): void {
  const audit = program
    .command("audit")
    .description("verify and read the hash-chained audit log")
    // Several tenants configured: each has its own chain (--tenant); the installation's own chain
    // (sign-ins, board users) is in the installation's store.
    .option("--installation", "the installation's own chain (sign-ins, board users), not a tenant's");
  registerVerifyCommand(audit);
  registerAnchorCommand(audit);
  registerTailCommand(audit);
  registerExportCommand(audit);
}

/** `cxo audit verify [--anchor FILE]`: every link of the chain, and the signed anchors when given. */
function registerVerifyCommand(audit: Command): void {
  audit
    .command("verify")
    .description("check every link of the hash chain; exit 1 and name the first broken record")
    .option(
      "--anchor <file>",
      "also check against signed anchors (cxo audit anchor): catches records cut from the end and rewrites",
    )
    .action(
      withContext(async (ctx, options: { anchor?: string }) => {
        // Anchoring on by default: the anchors it wrote are checked without asking.
        const anchorFile = options.anchor;
        const result = await withFlagNames({ anchorFile: "--anchor" }, () =>
          ctx.withClient((client) => client.audit.verify(anchorFile ? { anchorFile } : {}), {
            offline: true,
          }),
        );
        const latest = result.anchor?.latest;
        const anchored = latest
          ? `, anchored up to record ${latest.seq} (${result.anchor?.anchors} anchors)`
          : "";
        ctx.print(result, () =>
          result.ok
            ? `audit log OK: ${result.records} records, head ${result.headHash}${anchored}`
            : `audit log BROKEN at record ${result.firstBrokenAt}: ${result.reason} (${result.records} records verified before it)`,
        );
        if (!result.ok) process.exitCode = 1;
      }),
    );
}

/** `cxo audit tail [-f]`: the last records, then (following) each new one until interrupted. */
function registerTailCommand(audit: Command): void {
  audit
    .command("tail")
    .description("print the last records (--follow: keep printing new ones; with --json, one JSON line each)")
    .option("-n, --lines <n>", "how many records", "20")
    .option("-f, --follow", "keep watching for new records until interrupted")
    .option("--interval-ms <ms>", "how often --follow looks for new records", "500")
    .action(
      withContext(async (ctx, options: { lines: string; follow?: boolean; intervalMs: string }) => {
        const lines = positiveInt("--lines", options.lines);
        const intervalMs = positiveInt("--interval-ms", options.intervalMs);
        await ctx.withClient(
          async (client) => {
            if (!options.follow) {
              const records: AuditRecord[] = [];
              for await (const record of client.audit.records({ last: lines })) records.push(record);
              ctx.print({ records }, () => records.map(humanLine).join("\n") || "(audit log is empty)");
              return;
            }
            // The SDK's listing follows the log until SIGINT or SIGTERM aborts it (it then ends).
            const stop = new AbortController();
            const onSignal = () => stop.abort();
            process.once("SIGINT", onSignal);
            process.once("SIGTERM", onSignal);
            try {
              const follow = { intervalMs };
              for await (const record of client.audit.records(
                { last: lines, follow },
                { signal: stop.signal },
              ))
                process.stdout.write(`${ctx.json ? JSON.stringify(record) : humanLine(record)}\n`);
            } finally {
              process.off("SIGINT", onSignal);
              process.off("SIGTERM", onSignal);
            }
          },
          { offline: true },
        );
      }),
    );
}

/** `cxo audit export`: every record, oldest first, to stdout or a file cxo owns. */
function registerExportCommand(audit: Command): void {
  audit
    .command("export")
    .description("write every record, oldest first, as JSON lines or CSV")
    .option("--format <format>", "jsonl or csv", "jsonl")
    .option("--out <file>", "write to this file instead of stdout")
    .option("--force", "with --out: replace a file there that is not an audit export cxo wrote")
    .action(
      withContext(async (ctx, options: { format: string; out?: string; force?: boolean }) => {
        if (options.format !== "jsonl" && options.format !== "csv")
          throw new InputError({ field: "--format", rule: "must be jsonl or csv" });
        const file = options.out;
        const out: Writable = file
          ? withFlagNamesSync({ force: "--force" }, () =>
              createSafeWriteStream(file, {
                field: "--out",
                kind: auditExportKind(options.format),
                force: options.force,
              }),
            )
          : process.stdout;
        let count = 0;
        // The CSV writer (and csv-stringify) is imported here: the other audit commands write no CSV.
        const { csvText } = await import("../../core/csv-cell.ts");
        const failed = (error: unknown) => {
          // The --out file stays as it was (the temporary file goes).
          if (file) out.destroy();
          throw error;
        };
        await ctx
          .withClient(
            async (client) => {
              try {
                if (options.format === "csv") await write(out, csvText([[...CSV_COLUMNS]]));
                for await (const record of client.audit.records()) {
                  await write(
                    out,
                    options.format === "csv" ? csvRow(record, csvText) : `${JSON.stringify(record)}\n`,
                  );
                  count += 1;
                }
              } catch (error) {
                // `cxo audit export | head` closes the pipe early: that is the reader's choice, not a failure.
                if ((error as NodeJS.ErrnoException).code !== "EPIPE") throw error;
              }
            },
            { offline: true },
          )
          .catch(failed);
        if (options.out) {
          out.end();
          await once(out, "finish");
          ctx.print(
            { records: count, format: options.format, out: options.out },
            `${count} records written to ${options.out}`,
          );
        }
      }),
    );
}
