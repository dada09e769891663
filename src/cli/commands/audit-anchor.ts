import type { Command } from "commander";
import {
  type AnchorCheck,
  AnchorFileError,
  type AuditAnchor,
  checkAnchors,
  readAnchorFile,
} from "../../core/audit/anchor.ts";
import { type Anchoring, resolveAnchoring } from "../../core/audit/default-anchoring.ts";
import { emitAnchor } from "../../core/audit/emit-anchor.ts";
import type { AuditVerification } from "../../core/audit/index.ts";
import { InputError } from "../../core/input-error.ts";
import type { Store } from "../../core/store/index.ts";
import { type CliContext, withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";

/**
 * `cxo audit anchor` (sign the chain head now, write it outside the store) and the anchor
 * half of `cxo audit verify --anchor FILE`. See core/audit/anchor.ts for why.
 */
export async function anchorKeyOf(ctx: CliContext, store: Store): Promise<string> {
  return (await anchoringOf(ctx, store)).settings.anchorKey;
}

/** The anchoring in force (core/audit/default-anchoring.ts), or exit 2 saying why it is off. */
export async function anchoringOf(ctx: CliContext, store: Store): Promise<Extract<Anchoring, { on: true }>> {
  const anchoring = await resolveAnchoring((await ctx.settings()).audit, store);
  if (!anchoring.on)
    throw new InputError({
      field: "audit.anchorKey",
      rule: `is required to sign or check anchors here: ${anchoring.why}`,
    });
  return anchoring;
}

export function loadAnchors(file: string): AuditAnchor[] {
  try {
    return readAnchorFile(file);
  } catch (error) {
    if (error instanceof AnchorFileError) throw new InputError({ field: "--anchor", rule: error.message });
    throw error;
  }
}

async function recordAt(store: Store, seq: number) {
  const [record] = await store.audit.after(seq - 1, 1);
  return record?.seq === seq ? record : undefined;
}

/** The chain verification, with the anchors' verdict folded in. */
export async function verifyWithAnchors(
  store: Store,
  key: string,
  anchors: readonly AuditAnchor[],
): Promise<AuditVerification & { anchor: AnchorCheck }> {
  const chain = await store.audit.verify();
  const anchor = await checkAnchors(
    key,
    anchors,
    await store.audit.head(),
    (seq) => recordAt(store, seq),
    store.audit.tenant,
  );
  if (!chain.ok || anchor.ok) return { ...chain, anchor };
  return { ...chain, ok: false, firstBrokenAt: anchor.brokenAt, reason: anchor.reason, anchor };
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
            emitAnchor(store, (await anchoringOf(ctx, store)).settings, { file: options.out }),
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
