import { ConfigError } from "../../core/config/errors.ts";
import type { RndPort, RndQuestion } from "../../platform/ports/rnd.ts";
import type { ComplianceClient, RndSettingsOfClient } from "../compliance-client.ts";
import type { RndCheckResult } from "./check-numbers.ts";

/**
 * The client's RND: its port (made on first use) and settings; a ConfigError when it has none
 * (the one refusal of an RND check without settings, the SDK's and `cxo compliance rnd`'s).
 */
export function rndOfClient(client: ComplianceClient): {
  port: Promise<RndPort>;
  settings: RndSettingsOfClient;
} {
  const port = client.rndQueries();
  const settings = client.rnd;
  if (!port || !settings)
    throw new ConfigError(
      "compliance.rnd.url",
      "is not set: the Reassigned Numbers Database is not configured",
      "CXO_RND_URL, or compliance.rnd.url in the config file; in code, createClient({ rnd: { url, clientId, clientSecret } })",
    );
  return { port, settings };
}

/**
 * Asks the client's RND about every number not answered within `rnd.maxAgeDays` and judges each
 * (check-numbers.ts): what `rnd.check`, a scrub's pages and a plan's list go through.
 */
export async function checkNumbersOfClient(
  client: ComplianceClient,
  questions: ReadonlyArray<RndQuestion & { row?: number }>,
  options: {
    signal?: AbortSignal | undefined;
    onProgress?: ((done: number, total: number) => void) | undefined;
  },
): Promise<RndCheckResult> {
  const { port, settings } = rndOfClient(client);
  const { checkReassigned } = await import("./check-numbers.ts");
  const store = await client.store();
  return checkReassigned(store.db, await port, questions, {
    batchSize: settings.batchSize,
    maxAgeDays: settings.maxAgeDays,
    noData: settings.noData,
    actor: client.actor,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
