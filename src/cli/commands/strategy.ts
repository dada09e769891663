import type { Command } from "commander";
import { InputError } from "../../core/input-error.ts";
import { loadDispositionMap } from "../../outcomes/disposition-map.ts";
import type { StrategyLearnSource } from "../../sdk/strategy.ts";
import { writeDocument } from "../../strategy/files.ts";
import { SEGMENT_KEYS } from "../../strategy/model-format.ts";
import { modelReportHtml } from "../../strategy/report-html.ts";
import type { LearnOptions } from "../../strategy/types.ts";
import { withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";
import { freshOut, keysOf, requiredFlag, requireOffset, wholeNumber } from "./strategy-flags.ts";
import { registerStrategyPlanCommand } from "./strategy-plan.ts";
import { registerStrategyPushCommands, registerStrategyWatchCommand } from "./strategy-push.ts";

/**
 * `cxo strategy learn|plan|push` (issue 55): learn when each segment answers, plan each record's
 * next attempts at the best legal hours, hand the plan to the dialer. Exit 0 done; 1 failed
 * (including push on a platform without calling-list upload); 2 bad input, nothing sent or written.
 */
interface LearnFlags {
  campaign?: string;
  from?: string;
  to?: string;
  dataset?: string;
  history?: string;
  out?: string;
  keys?: string;
  buckets?: string;
  rpc?: string;
  talkOnly: boolean;
  map?: string;
  priorStrength?: string;
  report?: string;
  force?: boolean;
}

/** The SDK's fields of learn's options → the flags that set them (errors name the flag). */
const LEARN_FLAGS = {
  campaign: "--campaign",
  campaignId: "--campaign",
  from: "--from",
  to: "--to",
  dataset: "--dataset",
  history: "--history",
  file: "--history",
  keys: "--keys",
  attemptBuckets: "--buckets",
  "rpc.categories": "--rpc",
  priorStrength: "--prior-strength",
};

export function registerStrategyCommands(program: Command): void {
  const strategy = program
    .command("strategy")
    .description(
      "contact strategy: learn when each segment answers, plan each record's next attempts at the best legal hours",
    );
  registerLearn(strategy);
  registerStrategyPlanCommand(strategy);
  registerStrategyPushCommands(strategy);
  registerStrategyWatchCommand(strategy);
}

function registerLearn(strategy: Command): void {
  strategy
    .command("learn")
    .description("learn RPC rates per segment × hour of week (called party's local time) from outcomes")
    .option("--campaign <id>", "the campaign learned for (required)")
    .option("--from <iso>", "window start (inclusive), ISO 8601 with an offset")
    .option("--to <iso>", "window end (exclusive), ISO 8601 with an offset")
    .option("--dataset <dir>", "read a Parquet outcomes dataset (cxo outcomes export --out DIR/) with DuckDB")
    .option(
      "--history <file>",
      "read an outcomes export (NDJSON, CSV or Parquet, as `cxo outcomes export` writes it)",
    )
    .option("--out <file>", "model file to write (JSON)")
    .option("--keys <k1,k2>", `segment keys among ${SEGMENT_KEYS.join(", ")}, column:NAME (default state)`)
    .option("--buckets <n,m>", "attempt-number bucket bounds (default 1,3: 1, 2-3, 4+)")
    .option(
      "--rpc <categories>",
      "outcome-map categories that count as an RPC (default success,warm,neutral)",
    )
    .option("--no-talk-only", "count an RPC category even when no agent talked")
    .option("--map <file>", "disposition map (default: the outcomes' default map)")
    .option("--prior-strength <n>", "Beta prior strength in pseudo-attempts (default 20)")
    .option("--report <file.html>", "also write an HTML report: the RPC rate per weekday × local hour")
    .option("--force", "replace --out (and --report) if it exists")
    .action(
      withContext(async (ctx, flags: LearnFlags) => {
        const campaign = requiredFlag(flags.campaign, "--campaign");
        flags.from = requireOffset(flags.from, "--from");
        flags.to = requireOffset(flags.to, "--to");
        const sources = [flags.dataset, flags.history].filter((s) => s !== undefined).length;
        if (sources > 1)
          throw new InputError({ field: "--dataset", rule: "give one of --dataset and --history" });
        if (sources === 0 && (!flags.from || !flags.to))
          throw new InputError({
            field: "--from",
            rule: "--from and --to are required to read the campaign's outcomes from CXone (or give --dataset or --history)",
          });
        const out = freshOut(flags.out, flags.force);
        const report =
          flags.report === undefined ? undefined : freshOut(flags.report, flags.force, "--report");
        const options: LearnOptions = {
          campaign,
          from: flags.from,
          to: flags.to,
          keys: keysOf(flags.keys),
          attemptBuckets: flags.buckets?.split(",").map((b) => wholeNumber(b.trim(), "--buckets") as number),
          rpc: flags.rpc
            ? { categories: flags.rpc.split(",").map((c) => c.trim()), requireConversation: flags.talkOnly }
            : { categories: ["success", "warm", "neutral"], requireConversation: flags.talkOnly },
          dispositionMap: flags.map ? loadDispositionMap(flags.map) : undefined,
          priorStrength: flags.priorStrength === undefined ? undefined : Number(flags.priorStrength),
          source: flags.dataset ? "dataset" : flags.history ? "history" : "campaign",
        };
        const model = await ctx.withClient(
          (client) => withFlagNames(LEARN_FLAGS, () => client.strategy.learn(learnSource(flags), options)),
          flags.dataset || flags.history ? { offline: true } : {},
        );
        writeDocument(out, `${JSON.stringify(model, null, 1)}\n`, "--out");
        if (report) writeDocument(report, modelReportHtml(model), "--report");
        const summary = {
          out,
          ...(report ? { report } : {}),
          campaign: model.campaign,
          records: model.learnedFrom.records,
          skipped: model.learnedFrom.skipped,
          segments: model.segments.length,
          triedSlots: model.priors.campaign.filter((s) => s.tried).length,
          rpcRate: model.priors.all.estimate,
        };
        ctx.print(
          summary,
          `learned ${summary.records} attempts (${summary.skipped} skipped) into ${summary.segments} segment(s), ${summary.triedSlots}/168 hours of week tried, RPC rate ${(summary.rpcRate * 100).toFixed(1)}% → ${out}`,
        );
      }),
    );
}

/** Where `strategy learn` reads: a Parquet dataset, an outcomes file, or the campaign's outcomes from CXone (the SDK reads them). */
function learnSource(flags: LearnFlags): StrategyLearnSource {
  if (flags.dataset) return { dataset: flags.dataset };
  if (flags.history) return { file: flags.history };
  return { campaignId: flags.campaign as string, from: flags.from as string, to: flags.to as string };
}
