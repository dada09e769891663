import { kindByFirstLine, writeFileSafely } from "../core/safe-write.ts";
import type { RunningCxoneEmulator } from "./cxone/index.ts";
import type { RunningEmulator } from "./index.ts";

/**
 * The environment that points `cxo` at a running emulator with its fixtures' credentials: the
 * seed API's first client, or the production emulator's access-key login (its Administrator API
 * user, no registered application), as `cxo` reads them (docs/emulator-cxone.md).
 */
export function emulatorEnvironment(running: RunningEmulator | RunningCxoneEmulator): Record<string, string> {
  if ("accessKeys" in running.fixtures) {
    const f = running.fixtures;
    const key = f.accessKeys.find((k) => !k.readOnly) ?? f.accessKeys[0];
    return {
      CXONE_PLATFORM: "cxone",
      CXONE_ISSUER: f.issuer,
      CXONE_ACCESS_KEY_URL: f.accessKeyUrl,
      CXONE_ACCESS_KEY_ID: key?.accessKeyId ?? "",
      CXONE_ACCESS_KEY_SECRET: key?.accessKeySecret ?? "",
    };
  }
  const client = running.fixtures.clients[0];
  return {
    CXONE_PLATFORM: "seed",
    CXONE_BASE_URL: running.url,
    CXONE_CLIENT_ID: client?.clientId ?? "",
    CXONE_CLIENT_SECRET: client?.clientSecret ?? "",
  };
}

/** Writes `export NAME='value'` lines a shell sources, readable by the owner only, whole or not at all. */
export function writeEnvFile(file: string, env: Record<string, string>): void {
  const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;
  const text = Object.entries(env)
    .map(([name, value]) => `export ${name}=${quote(value)}\n`)
    .join("");
  writeFileSafely(file, text, { field: "--env-out", kind: ENV_FILE });
}

/** An environment file this writer wrote: `export NAME='value'` lines. */
const ENV_FILE = kindByFirstLine("environment file written by cxo (export NAME=... lines)", (line) =>
  /^export [A-Z_][A-Z0-9_]*=/.test(line),
);
