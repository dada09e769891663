import type { Command } from "commander";
import { InputError } from "../../core/input-error.ts";
import { copySqliteStoreToPostgres } from "../../core/store/copy-store.ts";
import { isPostgresUrl } from "../../core/store/index.ts";
import { withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";

/** `cxo store migrate --to postgres://…`: move the embedded store to PostgreSQL (docs/deploy.md). */
export function registerStoreCommands(program: Command): void {
  const store = program
    .command("store")
    .description("the durable store: SQLite in the data dir, or PostgreSQL");

  store
    .command("migrate")
    .description(
      "copy the data dir's SQLite store (journal, audit log, outbox, checkpoints, compliance data…) into an empty PostgreSQL database, then verify the audit chain there",
    )
    .requiredOption("--to <url>", "postgres://user:password@host:5432/database (an empty database)")
    .action(
      withContext(async (ctx, options: { to: string }) => {
        if (!isPostgresUrl(options.to))
          throw new InputError({ field: "--to", rule: "must be a postgres:// or postgresql:// URL" });
        const report = await withFlagNames({ to: "--to", dataDir: "--data-dir" }, async () =>
          copySqliteStoreToPostgres((await ctx.settings()).dataDir, options.to),
        );
        ctx.print(report, () =>
          [
            `copied ${report.from} → ${report.to}`,
            ...Object.entries(report.tables).map(([table, rows]) => `  ${table.padEnd(18)} ${rows} rows`),
            report.audit.ok
              ? `audit chain verifies on PostgreSQL: ${report.audit.records} records, head ${report.audit.headHash.slice(0, 16)}…`
              : `AUDIT CHAIN BROKEN on the copy: ${report.audit.reason}`,
            report.audit.ok ? `next: set CXO_DATABASE_URL to this database (see docs/deploy.md)` : "",
          ]
            .filter(Boolean)
            .join("\n"),
        );
        if (!report.audit.ok) process.exitCode = 1;
      }),
    );
}
