import type { DemoEnvironment } from "../environment.ts";
import type { Narrator } from "../narrator.ts";

/** Step: prove the day's record is intact — the audit hash chain verifies end to end. */
export async function verifyAuditStep(env: DemoEnvironment, say: Narrator): Promise<void> {
  say.command("cxo audit verify");
  const verification = await env.store.audit.verify();
  if (!verification.ok)
    throw new Error(`audit chain broken at record ${verification.firstBrokenAt} of ${verification.records}`);
  say.ok(`audit chain intact: ${verification.records} records, each carrying the previous record's hash`);
  const last = await env.store.audit.tail(5);
  for (const record of last)
    say.info(`#${record.seq} ${record.time} ${record.operation} ${record.outcome} ${record.target ?? ""}`);
}
