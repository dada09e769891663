import type { Command } from "commander";
import { InputError } from "../../core/input-error.ts";
import { withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";

/**
 * `cxo consent grant --phone P [--account A] --purpose telemarketing|informational|collections
 * --written yes|no [--ai-disclosed yes|no] [--at ISO] [--source TEXT]` (issue 92 §2): a grant of
 * consent recorded in the ledger (audited); a check of a prerecorded or AI call reads it. Needs
 * only the store (no CXone connection). Bad input: exit 2 naming the flag, nothing recorded.
 */
const FLAGS = {
  phone: "--phone",
  account: "--account",
  purpose: "--purpose",
  written: "--written",
  aiDisclosed: "--ai-disclosed",
  at: "--at",
  source: "--source",
};

interface GrantFlags {
  phone?: string;
  account?: string;
  purpose?: string;
  written?: string;
  aiDisclosed?: string;
  at?: string;
  source?: string;
}

const yesNo = (flag: string, value: string | undefined): boolean | undefined => {
  if (value === undefined) return undefined;
  if (value === "yes" || value === "no") return value === "yes";
  throw new InputError({ field: flag, rule: "must be yes or no" });
};

export function registerConsentGrantCommand(consent: Command): void {
  consent
    .command("grant")
    .description("record a grant of consent: purposes, written or not, whether an AI voice was disclosed")
    .option("--phone <e164>", "the number (E.164)")
    .option("--account <id>", "the account (debt) it covers")
    .option("--purpose <list>", "telemarketing, informational, collections (comma-separated)")
    .option("--written <yes|no>", "the consent is written")
    .option("--ai-disclosed <yes|no>", "the consent was given with an AI voice disclosed (default no)")
    .option("--at <iso>", "when it was given (ISO 8601 with an offset; default now)")
    .option("--source <text>", "where it came from (a form, a recording id)")
    .action(
      withContext(async (ctx, flags: GrantFlags) => {
        const params = {
          ...(flags.phone === undefined ? {} : { phone: flags.phone }),
          ...(flags.account === undefined ? {} : { account: flags.account }),
          purpose: (flags.purpose ?? "") as never,
          written: yesNo("--written", flags.written) as boolean,
          ...(flags.aiDisclosed === undefined
            ? {}
            : { aiDisclosed: yesNo("--ai-disclosed", flags.aiDisclosed) as boolean }),
          ...(flags.at === undefined ? {} : { at: flags.at }),
          ...(flags.source === undefined ? {} : { source: flags.source }),
        };
        // The ledger is the store's: recorded with or without a CXone connection.
        const grant = await ctx.withClient(
          (client) => withFlagNames(FLAGS, () => client.consent.grant(params)),
          { local: true },
        );
        ctx.print(
          grant,
          () =>
            `granted: ${grant.phone || `account ${grant.account}`} for ${grant.purposes.join(", ")}, ${grant.written ? "written" : "not written"}${grant.aiDisclosed ? ", AI voice disclosed" : ""}, at ${grant.grantedAt}`,
        );
      }),
    );
}
