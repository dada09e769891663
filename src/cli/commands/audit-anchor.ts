import type { Command } from "commander";
import { withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";

/**
 * `cxo audit anchor`: sign the chain head now and write it outside the store (`client.audit.anchor`;
 * see core/audit/anchor.ts for why). `cxo audit verify --anchor FILE` checks against such files.
 */
export function registerAnchorCommand(audit: Command): void {
  audit
    .command("anchor")
    .description(
      "sign the chain head now and append it to --out / audit.anchorFile and/or audit.anchorDestination (stdout when neither)",
    )
    .option("--out <file>", "append the anchor (one JSON line) to this file; keep it outside the data dir")
    .action(
      withContext(async (ctx, options: { out?: string }) => {
        const file = options.out;
        const sent = await withFlagNames({ file: "--out" }, () =>
          ctx.withClient((client) => client.audit.anchor(file ? { file } : {}), { offline: true }),
        );
        if (!sent.file && !sent.destination) {
          process.stdout.write(`${JSON.stringify(sent.anchor)}\n`);
          return;
        }
        const where = [sent.file, sent.destination && `destination ${sent.destination}`].filter(Boolean);
        ctx.print(sent, `anchored record ${sent.anchor.seq} (${sent.anchor.hash}) → ${where.join(", ")}`);
      }),
    );
}
