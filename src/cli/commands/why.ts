import type { Command } from "commander";
import type { Diagnosis } from "../../campaigns/diagnose/facts.ts";
import { clockNowMs } from "../../core/clock/now.ts";
import { withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";
import { tableLines } from "../text-table.ts";

/**
 * `cxo why --campaign C [--at ISO] [--json]` (issue 65): why a campaign is not dialing, and when
 * its list runs dry. Read-only. The first line says in one sentence what is wrong and what to
 * do; a table of the causes follows. Exit 0 with the answer (not dialing is an answer, like
 * `compliance check`'s refusal), 1 when CXone cannot be reached or refuses (cause
 * `cxone_unreachable`), 2 for bad input (nothing sent).
 */
const FLAG_OF: Record<string, string> = { campaignId: "--campaign", at: "--at" };

export function registerWhyCommand(program: Command): void {
  program
    .command("why")
    .description(
      "why is nothing dialing? the campaign's causes ranked, their fixes, and when its list runs dry",
    )
    .option("--campaign <id>", "the campaign (on the cxone platform a Personal Connection skill id)")
    .option("--at <iso>", "diagnose at this instant, ISO-8601 with an offset (default: now)")
    .action(
      withContext(async (ctx, options: { campaign?: string; at?: string }) => {
        const params = {
          campaignId: options.campaign as string,
          ...(options.at === undefined ? {} : { at: options.at }),
        };
        const { checkDiagnoseParams } = await import("../../campaigns/diagnose/params.ts");
        // Checked here first so that bad input sends nothing (no client, no token request).
        await withFlagNames(FLAG_OF, async () => checkDiagnoseParams(params, clockNowMs()));
        const diagnosis = await withFlagNames(FLAG_OF, () =>
          // A campaign the autopilot runs: what it cannot fix leads, what it does itself follows.
          ctx.withClient((client) => client.autopilot.why(params)),
        );
        const { summary, ...doc } = diagnosis;
        ctx.print({ ...doc, summary }, () => whyText(diagnosis));
        if (diagnosis.causes.some((c) => c.code === "cxone_unreachable")) process.exitCode = 1;
        // A skill changed behind cxo's back since a push: said first, and a failure until acted on.
        if (diagnosis.causes.some((c) => c.code === "skill_drift")) process.exitCode = 1;
      }),
    );
}

/** The human answer: the one-sentence summary, then the causes as a table, then the run-dry time. */
export function whyText(d: Diagnosis): string {
  const rows = d.causes.map((c) => [
    c.code,
    c.records === undefined ? "all" : String(c.records),
    c.share === undefined ? "" : `${Math.round(c.share * 100)}%`,
    c.until ?? "",
    c.fix,
  ]);
  const header = ["cause", "records", "share", "until", "fix"];
  const table = rows.length > 0 ? tableLines([header, ...rows]) : [];
  const evidence = d.causes.map((c) => `  ${c.code}: ${c.evidence}`);
  return [
    d.summary,
    ...table,
    `dialable now: ${d.dialableNow}${d.runsDryAt ? `; runs dry at ${d.runsDryAt}` : ""}`,
    ...(evidence.length > 0 ? ["evidence:", ...evidence] : []),
    ...callbackLines(d),
  ].join("\n");
}

/** Calls CXone will place outside the list: its scheduled callbacks to revoked numbers. */
function callbackLines(d: Diagnosis): string[] {
  if (d.callbacksUnread)
    return [`scheduled callbacks: could not be read (${d.callbacksUnread}); none is known to be safe`];
  return (d.callbacksToRevoked ?? []).map(
    (c) =>
      `PENDING CALLBACK TO A REVOKED NUMBER: ${c.callbackId} to ${c.phone} at ${c.callbackAt ?? "an unknown time"} (${c.revocation}) — run cxo consent honour to delete it`,
  );
}
