import { existsSync } from "node:fs";
import type { AuditSettings } from "../config/schema.ts";
import { InputError } from "../input-error.ts";
import type { Store } from "../store/index.ts";
import { type AnchorCheck, type AuditAnchor, checkAnchors, readAnchorFile } from "./anchor.ts";
import { type Anchoring, resolveAnchoring } from "./default-anchoring.ts";
import type { AuditVerification } from "./verify.ts";

/** A chain verification, with the anchors' verdict when anchors were checked. */
export type AnchoredVerification = AuditVerification & { anchor?: AnchorCheck };

/**
 * The store's chain verified, and the signed anchors with it: `anchors` when given (they need
 * the anchor key in force), else the anchors anchoring in force wrote by itself (its default
 * file, when it exists; `readAnchors` reads it), else the chain alone.
 */
export async function verifyAudit(
  store: Store,
  settings: AuditSettings,
  anchors?: readonly AuditAnchor[],
  readAnchors: (file: string) => AuditAnchor[] = readAnchorFile,
): Promise<AnchoredVerification> {
  if (anchors)
    return verifyWithAnchors(store, (await anchoringInForce(settings, store)).settings.anchorKey, anchors);
  const anchoring = await resolveAnchoring(settings, store);
  if (anchoring.on && anchoring.file && existsSync(anchoring.file))
    return verifyWithAnchors(store, anchoring.settings.anchorKey, readAnchors(anchoring.file));
  return store.audit.verify();
}

/** The anchoring in force (default-anchoring.ts), or an InputError saying why it is off. */
export async function anchoringInForce(
  settings: AuditSettings,
  store: Store,
): Promise<Extract<Anchoring, { on: true }>> {
  const anchoring = await resolveAnchoring(settings, store);
  if (!anchoring.on)
    throw new InputError({
      field: "audit.anchorKey",
      rule: `is required to sign or check anchors here: ${anchoring.why}`,
    });
  return anchoring;
}

async function recordAt(store: Store, seq: number) {
  const [record] = await store.audit.after(seq - 1, 1);
  return record?.seq === seq ? record : undefined;
}

/** The chain verification, with the anchors' verdict folded in. */
async function verifyWithAnchors(
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
