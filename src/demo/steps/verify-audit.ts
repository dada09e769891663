import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { DESTINATIONS, type DemoBase } from "../environment.ts";
import type { Narrator } from "../narrator.ts";

/**
 * Step: prove the day's record is intact — the audit hash chain verifies end to end — and show
 * where every artifact is and what reached the downstream systems.
 */
export async function verifyAuditStep(
  env: DemoBase,
  say: Narrator,
  dashboardUrl: string,
  /** The tagging file this platform's day wrote (its name differs by platform): listed only if it is there. */
  taggingFile: string,
): Promise<void> {
  say.command("cxo audit verify");
  const verification = await env.store.audit.verify();
  if (!verification.ok)
    throw new Error(`audit chain broken at record ${verification.firstBrokenAt} of ${verification.records}`);
  say.ok(`audit chain intact: ${verification.records} records, each carrying the previous record's hash`);

  const counts = await env.store.outbox.status();
  const delivered = DESTINATIONS.map((name) => `${name} ${env.receiver.deliveredTo(name).length}`).join(", ");
  say.info(`webhooks received (signed, verified): ${delivered}; rejected: ${env.receiver.rejected}`);
  say.info(
    `outbox: ${counts.map((c) => `${c.destination} ${c.delivered} delivered/${c.pending} pending/${c.dead} dead`).join(", ")}`,
  );

  const reports = (await readdir(env.reportsDir)).sort();
  say.figures([
    ["dashboard", dashboardUrl],
    ["data dir (SQLite store)", env.dataDir],
    ...(existsSync(taggingFile) ? [["tagging file", taggingFile] as [string, string]] : []),
    ...reports.map((name): [string, string] => [name, join(env.reportsDir, name)]),
  ]);
}
