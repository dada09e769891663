import type { RndCheckResult } from "../compliance/rnd/check-numbers.ts";
import { ConfigError } from "../core/config/errors.ts";
import type { Settings } from "../core/config/schema.ts";
import { registerSecret } from "../core/logging/secrets.ts";
import type { RndQuestion } from "../platform/ports/rnd.ts";
import type { CliContext } from "./context.ts";

/**
 * The commands' way to the Reassigned Numbers Database (issue 79 §3): `compliance.rnd` read from
 * the settings, its port opened, every check run against the data dir's store (the answers kept
 * as evidence), the port closed afterwards. No CXone connection is needed.
 */
export type RndCheck = (questions: RndQuestion[]) => Promise<RndCheckResult>;

export const rndConfigured = (settings: Settings): boolean => settings.compliance.rnd.url !== undefined;

/** Runs `work` with a checker; a missing setting is a ConfigError (exit 2) naming it. */
export async function withRndCheck<T>(ctx: CliContext, work: (check: RndCheck) => Promise<T>): Promise<T> {
  const settings = await ctx.settings();
  const rnd = settings.compliance.rnd;
  const missing = (key: string, env: string): never => {
    throw new ConfigError(
      `compliance.rnd.${key}`,
      "is not set: the Reassigned Numbers Database is not configured",
      `${env}, or compliance.rnd.${key} in the config file`,
    );
  };
  const url = rnd.url ?? missing("url", "CXO_RND_URL");
  const clientId = rnd.clientId ?? missing("clientId", "CXO_RND_CLIENT_ID");
  const clientSecret = rnd.clientSecret ?? missing("clientSecret", "CXO_RND_CLIENT_SECRET");
  registerSecret(clientSecret);
  const [{ connectRnd }, { checkReassigned }] = await Promise.all([
    import("../platform/rnd/client.ts"),
    import("../compliance/rnd/check-numbers.ts"),
  ]);
  const port = connectRnd(
    { url, clientId, clientSecret, ...(rnd.tokenUrl ? { tokenUrl: rnd.tokenUrl } : {}) },
    { http: settings.http, logger: await ctx.logger() },
  );
  try {
    return await work((questions) =>
      ctx.withStore((store) =>
        checkReassigned(store.db, port, questions, {
          batchSize: rnd.batchSize,
          maxAgeDays: rnd.maxAgeDays,
          noData: rnd.noData,
          actor: ctx.actor(),
        }),
      ),
    );
  } finally {
    await port.close();
  }
}
