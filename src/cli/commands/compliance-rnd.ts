import type { Command } from "commander";
import type { RndCheckResult } from "../../compliance/rnd/check-numbers.ts";
import type { RndEvidence } from "../../compliance/rnd/evidence-store.ts";
import { withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";
/**
 * `cxo compliance rnd check --file numbers.csv` and `cxo compliance rnd evidence --phone P`
 * (issue 79 §3): the FCC's Reassigned Numbers Database. `check` reads the whole file first
 * (a row without a consent date is exit 2 naming its line and field, nothing asked or
 * recorded), then asks the RND (`compliance.rnd`) about every number not answered within
 * `maxAgeDays`, in queries of at most `batchSize`, each answer stored before the next query.
 * Like `compliance check` it is a query: refusals are its answer (exit 0); 1 when the RND or the
 * store fails; 2 for bad input or missing settings. No CXone connection is needed: both run the
 * client's `rnd` group on the data dir (nothing sent to CXone), Ctrl-C stopping after the query in flight.
 */
export function registerRndCommands(compliance: Command): void {
  const rnd = compliance
    .command("rnd")
    .description(
      "the FCC's Reassigned Numbers Database: numbers checked since their consent dates, every answer kept as evidence",
    );
  rnd
    .command("check")
    .description(
      "ask the RND about every number of a file (phone, consentDate) and refuse those permanently disconnected since their consent date",
    )
    .requiredOption("--file <file>", "CSV or NDJSON rows: phone (E.164), consentDate (YYYY-MM-DD)")
    .action(
      withContext(async (ctx, flags: { file: string }) => {
        // The client's rnd.check: settings checked, then the whole file before anything is asked.
        const interrupt = ctx.interrupt("stopping after the query in flight");
        try {
          const result = await ctx.withClient(
            (client) => client.rnd.check({ file: flags.file }, { signal: interrupt.signal }),
            { offline: true },
          );
          const doc = checkDocument(result);
          ctx.print(doc, () => humanCheck(doc));
        } finally {
          interrupt.dispose();
        }
      }),
    );
  rnd
    .command("evidence")
    .description("what the store keeps for a number: every RND answer, what was asked and when")
    .requiredOption("--phone <e164>", "the number, +1NXXNXXXXXX")
    .action(
      withContext(async (ctx, flags: { phone: string }) => {
        const report = await withFlagNames({ phone: "--phone" }, () =>
          ctx.withClient((client) => client.rnd.evidence({ phone: flags.phone }), { offline: true }),
        );
        ctx.print(report, () => humanEvidence(report.phone, report.evidence));
      }),
    );
}

/** The JSON document: counts, and each refusal with its file row (every verdict would be the file again). */
function checkDocument(result: RndCheckResult) {
  const { verdicts, ...counts } = result;
  return {
    ...counts,
    refusals: verdicts.filter((v) => v.refused).map((v) => ({ row: v.row ?? null, ...v })),
    withoutSafeHarbor: verdicts.filter((v) => !v.refused && !v.safeHarbor).length,
  };
}

function humanCheck(doc: ReturnType<typeof checkDocument>): string {
  const lines = [
    `${doc.numbers} number(s) checked against the Reassigned Numbers Database (data as of ${doc.dataAsOf ?? "—"}): ${doc.asked} asked in ${doc.queries} quer${doc.queries === 1 ? "y" : "ies"}, ${doc.reused} answered from the store`,
    `  disconnected since consent: ${doc.disconnected}; not disconnected: ${doc.notDisconnected}; no data: ${doc.noData}`,
    `  refused: ${doc.refused}${doc.withoutSafeHarbor > 0 ? `; allowed without a safe harbor ("no data"): ${doc.withoutSafeHarbor}` : ""}`,
  ];
  if (doc.resumed > 0)
    lines.push(
      `  re-sent ${doc.resumed} quer${doc.resumed === 1 ? "y" : "ies"} an earlier run left unanswered`,
    );
  for (const r of doc.refusals.slice(0, 20))
    lines.push(`  - row ${r.row ?? "?"}: ${r.phone} (consent ${r.consentDate}): ${r.code}`);
  if (doc.refusals.length > 20)
    lines.push(`  … and ${doc.refusals.length - 20} more (--json lists them all)`);
  return lines.join("\n");
}

function humanEvidence(phone: string, evidence: RndEvidence[]): string {
  if (evidence.length === 0)
    return `${phone}: the Reassigned Numbers Database was never asked about this number`;
  return [
    `${phone}: ${evidence.length} answer(s) of the Reassigned Numbers Database`,
    ...evidence.map(
      (e) =>
        `  asked ${e.askedAt} about consent ${e.consentDate}: ${e.answer} (database as of ${e.dataAsOf}; query ${e.queryId ?? e.queryRef} at ${e.source})`,
    ),
  ].join("\n");
}
