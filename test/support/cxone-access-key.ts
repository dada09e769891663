import { loadSettings, type Settings } from "../../src/core/config/index.ts";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";

/**
 * The environment of a user who logs in to the production API's emulator the way most tenants
 * can: an access key (the emulator's first writable one), no registered application.
 */
export function accessKeyEnv(emulator: RunningCxoneEmulator): Record<string, string> {
  const key = emulator.fixtures.accessKeys.find((k) => !k.readOnly)!;
  return {
    CXONE_PLATFORM: "cxone",
    CXONE_ISSUER: emulator.url,
    CXONE_ACCESS_KEY_URL: `${emulator.url}/authentication/v1/token/access-key`,
    CXONE_ACCESS_KEY_ID: key.accessKeyId,
    CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
  };
}

/** The settings `cxo` loads from accessKeyEnv alone (no config file). */
export function accessKeySettings(emulator: RunningCxoneEmulator): Settings {
  return loadSettings({ cwd: "/nonexistent", env: accessKeyEnv(emulator) });
}
