import type { Command } from "commander";
import { withContext } from "../context.ts";
import { textTable } from "../text-table.ts";

/**
 * `cxo compliance rules [--json]`: every rule cxo judges by (the rule table's rows and the
 * revocation deadlines), each with its effective date and where that date comes from — the rule
 * book cxo ships (`built-in`) or `rules.effectiveDates` in cxo.config.yaml (`config`), through the
 * client's `compliance.rules`. Local: sends nothing to CXone; judging by other dates than the store
 * last judged with is audited.
 */
export function registerRulesCommand(group: Command): void {
  group
    .command("rules")
    .description(
      "every rule with its effective date and the date's source (built-in, or rules.effectiveDates in the config)",
    )
    .action(
      withContext(async (ctx) => {
        // The client's `compliance.rules`: the dates recorded (a change audited) as any judgement would.
        const { rules } = await ctx.withClient((client) => client.compliance.rules(), { offline: true });
        ctx.print({ rules }, () =>
          textTable([
            ["RULE", "JURISDICTION", "EFFECTIVE", "UNTIL", "SOURCE", "CONFIDENCE"],
            ...rules.map((r) => [
              r.id,
              r.jurisdiction,
              r.effectiveFrom,
              r.effectiveTo ?? "",
              r.dateSource === "config" ? `config (built-in ${r.builtInFrom})` : "built-in",
              r.confidence,
            ]),
          ]),
        );
      }),
    );
}
