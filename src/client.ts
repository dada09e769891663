import {
  type CxoneConnection,
  loadSettings,
  requireCxoneConnection,
  type SettingSources,
  type Settings,
} from "./core/config/index.ts";
import { type CxoneHttp, createCxoneHttp } from "./core/http/create.ts";
import type { Logger } from "./core/logging/index.ts";
import type { CxonePort } from "./platform/port.ts";
import { createSeedApiPort } from "./platform/seed-api/adapter.ts";

/**
 * The SDK's front door: one client built from a profile (settings), exposing the port's
 * capability groups. The CLI is a thin user of the same client.
 *
 *   const cxo = createClient({ settings: loadSettings() });
 *   const matrix = await cxo.dispositions.getMatrix("camp-1");
 *   for await (const call of cxo.outcomes.listCalls({ campaignId, from, to })) …
 *   await cxo.close();
 */
export interface CxoneClient extends CxonePort {
  readonly settings: Settings;
  readonly connection: CxoneConnection;
  /** The HTTP core underneath (events, limiter state, token state). */
  readonly core: CxoneHttp;
  close(): Promise<void>;
}

export interface CreateClientOptions {
  /** Resolved settings; when absent they are loaded from `sources` (flags > env > file). */
  settings?: Settings;
  sources?: SettingSources;
  logger?: Logger;
}

export function createClient(options: CreateClientOptions = {}): CxoneClient {
  const settings = options.settings ?? loadSettings(options.sources);
  const connection = requireCxoneConnection(settings);
  const core = createCxoneHttp({
    connection,
    http: settings.http,
    rateLimits: settings.rateLimits,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const port = createSeedApiPort(core.http, core.tokens, connection.clientId);
  return { ...port, settings, connection, core, close: () => core.close() };
}
