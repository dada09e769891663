import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import type { CxoneHarness } from "../emulator/cxone/helpers.ts";
import { accessKeySettings } from "./cxone-access-key.ts";

/**
 * A client of a production emulator harness, logged in with its first writable access key, with a
 * data dir of its own. `unlimited`: the production groups' conservative limits lifted (a test that
 * diagnoses dozens of campaigns would otherwise wait minutes on the client's own limiter).
 * `tenantProfile`: a tenant profile file (cxo doctor's) the adapter loads.
 */
export function harnessClient(
  h: CxoneHarness,
  prefix: string,
  unlimited = false,
  tenantProfile?: string,
): InternalClient {
  const emulator = {
    platform: "cxone",
    url: h.url,
    port: 0,
    fixtures: h.fixtures,
    close: h.close,
  } as RunningCxoneEmulator;
  const options = clientOptionsFromSettings(accessKeySettings(emulator));
  return createInternalClient({
    ...options,
    ...(tenantProfile
      ? { connection: { ...options.connection, tenantProfile } as typeof options.connection }
      : {}),
    dataDir: mkdtempSync(path.join(tmpdir(), prefix)),
    ...(unlimited
      ? {
          rateLimits: Object.fromEntries(
            ["token", "campaigns", "dialer", "analytics", "default"].map((g) => [
              g,
              { limit: 1000, per: "second", concurrency: 8 },
            ]),
          ) as never,
        }
      : {}),
  });
}
