import { clockNowDate } from "../clock/now.ts";
import type { AuditSettings } from "../config/schema.ts";
import type { Store } from "../store/index.ts";
import { type AuditAnchor, appendAnchorFile, signAnchor } from "./anchor.ts";
/**
 * Signs the current chain head and sends the anchor where the settings say: appended to
 * `audit.anchorFile` (or `file`, which wins) and/or queued for `audit.anchorDestination` as an
 * `audit.anchor` event. Returns the anchor and where it went (possibly nowhere: the caller may
 * print it).
 */
export async function emitAnchor(
  store: Store,
  audit: AuditSettings & { anchorKey: string },
  options: { file?: string } = {},
): Promise<{ anchor: AuditAnchor; file: string | null; destination: string | null }> {
  const anchor = signAnchor(audit.anchorKey, await store.audit.head(), clockNowDate(), store.audit.tenant);
  const file = options.file ?? audit.anchorFile ?? null;
  if (file) appendAnchorFile(file, anchor, options.file ? "file" : "audit.anchorFile");
  const destination = audit.anchorDestination ?? null;
  if (destination)
    await store.outbox.enqueue([
      { type: "audit.anchor", destination, data: anchor, orderKey: "audit.anchor" },
    ]);
  return { anchor, file, destination };
}
