import { clockNowMs } from "../core/clock/now.ts";
import type { InteractionsPort } from "../platform/ports/interactions.ts";
/**
 * The tenant's interaction disposition codes, fetched through the port and cached per port
 * (a long-running process reuses them; a TTL picks up codes added in CXone).
 */
export const CODE_CACHE_TTL_MS = 5 * 60_000;

interface Entry {
  at: number;
  codes: Promise<ReadonlySet<string>>;
}

const cache = new WeakMap<InteractionsPort, Entry>();

export function knownCodes(
  port: InteractionsPort,
  options: { now?: number; ttlMs?: number; refresh?: boolean } = {},
): Promise<ReadonlySet<string>> {
  const now = options.now ?? clockNowMs();
  const cached = cache.get(port);
  if (cached && !options.refresh && now - cached.at < (options.ttlMs ?? CODE_CACHE_TTL_MS))
    return cached.codes;
  const codes = port.listDispositionCodes().then((list) => new Set(list.map((c) => c.code)));
  // A failed fetch is not cached: the next caller tries again.
  codes.catch(() => {
    if (cache.get(port)?.codes === codes) cache.delete(port);
  });
  cache.set(port, { at: now, codes });
  return codes;
}
