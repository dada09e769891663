import type { Command } from "commander";
import type { ReviewView } from "../../consent/review-queue.ts";
import { InputError } from "../../core/input-error.ts";
import { printable } from "../../core/printable.ts";
import { withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";

/**
 * `cxo consent review [--all] [--json]` and `cxo consent review --decide ID --as
 * revocation|not-revocation` (issue 92 §3): the messages whose words a person has to read, each
 * overdue once past the deadline a revocation received then would have; a decision is audited,
 * and `revocation` records the revocation at the message's instant. Exit 1 while any is overdue.
 */
const FLAGS = { id: "--decide", as: "--as" };

// The message is the consumer's text: a line break in it could forge a line of this list (an
// item "decided", an "ALLOWED"), so its control characters are escaped, as every quoted value is.
const line = (item: ReviewView) =>
  `${item.id}  ${item.receivedAt}  ${item.phone || `account ${item.account}`}  ${item.channel}  ${item.overdue ? "OVERDUE" : item.decided ? `decided: ${item.decided.as}` : `due ${item.deadline ?? "—"}`}  (${printable(item.basis)})  "${printable(item.message.length > 80 ? `${item.message.slice(0, 77)}…` : item.message)}"`;

export function registerConsentReviewCommand(consent: Command): void {
  consent
    .command("review")
    .description(
      "messages whose words a person has to read (a negation, a question, another language): list them, or decide one",
    )
    .option("--all", "include the messages already decided")
    .option("--decide <id>", "decide the message with this id")
    .option("--as <decision>", "with --decide: revocation | not-revocation")
    .action(
      withContext(async (ctx, options: { all?: boolean; decide?: string; as?: string }) => {
        if (options.decide === undefined) {
          if (options.as !== undefined)
            throw new InputError({ field: "--as", rule: "goes with --decide ID" });
          const all = options.all === true;
          // A review needs nothing of CXone: the client answers with or without a connection.
          const items = await ctx.withClient((client) => client.consent.review({ all }), { local: true });
          ctx.print({ messages: items }, () =>
            items.length === 0 ? "no message waits for a review" : items.map(line).join("\n"),
          );
          if (items.some((item) => item.overdue)) process.exitCode = 1;
          return;
        }
        const params = { id: options.decide, as: options.as as "revocation" | "not-revocation" };
        // Without a connection a revocation is recorded all the same, CXone's part pending.
        const decided = await ctx.withClient(
          (client) => withFlagNames(FLAGS, () => client.consent.decide(params)),
          { local: true },
        );
        ctx.print(decided, () =>
          decided.item.decided?.as === "revocation"
            ? `message ${decided.item.id}: recorded as a revocation received ${decided.item.receivedAt}`
            : `message ${decided.item.id}: not a revocation (closed)`,
        );
      }),
    );
}
