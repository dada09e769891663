import { emitAnchor } from "../core/audit/emit-anchor.ts";
import type { Settings } from "../core/config/index.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Store } from "../core/store/index.ts";

/**
 * `cxo serve` anchors the audit chain head every `audit.anchorEveryMinutes` (and once at start)
 * when an anchor key and somewhere to put anchors (file or destination) are configured, and only
 * when the head moved since the last anchor. See core/audit/anchor.ts.
 */
export function startAuditAnchoring(options: { settings: Settings; store: Store; logger: Logger }): {
  stop(): void;
} {
  const { audit } = options.settings;
  const key = audit.anchorKey;
  if (!key || (!audit.anchorFile && !audit.anchorDestination)) return { stop() {} };
  let lastSeq = -1;
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    void (async () => {
      try {
        const head = await options.store.audit.head();
        if (head.seq === lastSeq) return;
        const sent = await emitAnchor(options.store, { ...audit, anchorKey: key });
        lastSeq = sent.anchor.seq;
        options.logger.info({ seq: sent.anchor.seq }, "audit head anchored");
      } catch (error) {
        options.logger.error({ error: String(error) }, "audit anchoring failed");
      } finally {
        busy = false;
      }
    })();
  };
  tick();
  const timer = setInterval(tick, audit.anchorEveryMinutes * 60_000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
    },
  };
}
