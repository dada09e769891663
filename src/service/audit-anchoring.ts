import { type Anchoring, resolveAnchoring } from "../core/audit/default-anchoring.ts";
import { emitAnchor } from "../core/audit/emit-anchor.ts";
import type { Settings } from "../core/config/index.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Store } from "../core/store/index.ts";

/**
 * `cxo serve` anchors the audit chain head every `audit.anchorEveryMinutes` (and once at start),
 * only when the head moved since the last anchor. On by default where the store can hold an
 * anchor key (core/audit/default-anchoring.ts); where it cannot, said once at start. See
 * core/audit/anchor.ts.
 */
export function startAuditAnchoring(options: { settings: Settings; store: Store; logger: Logger }): {
  stop(): void;
} {
  const { audit } = options.settings;
  let anchoring: Anchoring | undefined;
  let lastSeq = -1;
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    void (async () => {
      try {
        if (anchoring === undefined) {
          anchoring = await resolveAnchoring(audit, options.store);
          if (!anchoring.on) options.logger.warn({}, `audit anchoring is off: ${anchoring.why}`);
          else options.logger.info({ file: anchoring.file, key: anchoring.keySource }, "audit anchoring on");
        }
        if (!anchoring.on) return;
        const head = await options.store.audit.head();
        if (head.seq === lastSeq) return;
        const sent = await emitAnchor(options.store, anchoring.settings);
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
