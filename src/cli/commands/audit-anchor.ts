import type { Command } from "commander";
import { AnchorFileError, type AuditAnchor, readAnchorFile } from "../../core/audit/anchor.ts";
import { emitAnchor } from "../../core/audit/emit-anchor.ts";
import { anchoringInForce } from "../../core/audit/verify-anchored.ts";
import { InputError } from "../../core/input-error.ts";
import { withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";

/**
 * `cxo audit anchor` (sign the chain head now, write it outside the store) and the reading of
 * `cxo audit verify --anchor FILE`. See core/audit/anchor.ts for why; the verification itself is
 * core/audit/verify-anchored.ts.
 */
export function loadAnchors(file: string): AuditAnchor[] {
  try {
    return readAnchorFile(file);
  } catch (error) {
    if (error instanceof AnchorFileError) throw new InputError({ field: "--anchor", rule: error.message });
    throw error;
  }
}

export function registerAnchorCommand(audit: Command): void {
  audit
    .command("anchor")
    .description(
      "sign the chain head now and append it to --out / audit.anchorFile and/or audit.anchorDestination (stdout when neither)",
    )
    .option("--out <file>", "append the anchor (one JSON line) to this file; keep it outside the data dir")
    .action(
      withContext(async (ctx, options: { out?: string }) => {
        const sent = await withFlagNames({ file: "--out" }, () =>
          ctx.withStore(async (store) =>
            emitAnchor(store, (await anchoringInForce((await ctx.settings()).audit, store)).settings, {
              file: options.out,
            }),
          ),
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
