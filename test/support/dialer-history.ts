import { openStore } from "../../src/core/store/index.ts";
import { HISTORY_NAMESPACE } from "../../src/dialer/settings/history.ts";

/** Versions of the dialer settings in `dataDir`'s history, as snapshots seen at their instants. */
export async function seedDialerHistory(
  dataDir: string,
  versions: ReadonlyArray<readonly [at: string, versionTag: string, settings: object]>,
): Promise<void> {
  const store = await openStore(dataDir);
  try {
    for (const [at, versionTag, settings] of versions)
      await store.kv.set(HISTORY_NAMESPACE, `${at}#00000000`, {
        versionTag,
        settings,
        source: "snapshot",
        at,
        operationId: null,
        outcome: "seen",
      });
  } finally {
    await store.close();
  }
}
