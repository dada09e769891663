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

/**
 * One GET of the emulator's API (`/inContactAPI/services/v33.0` + `path`) with an access key's
 * token, plain fetch: what the platform holds, read past the client under test.
 */
export function cxoneApiGet(emulator: RunningCxoneEmulator, path: string): Promise<unknown> {
  return cxoneApi(emulator, "GET", path);
}

/** One request of the emulator's API past the client under test (a test's own setup: a skill's settings, an upload). */
export async function cxoneApi(
  emulator: RunningCxoneEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const key = emulator.fixtures.accessKeys.find((k) => !k.readOnly)!;
  const login = await fetch(`${emulator.url}/authentication/v1/token/access-key`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret }),
  });
  const { access_token: token } = (await login.json()) as { access_token: string };
  const answer = await fetch(`${emulator.url}/inContactAPI/services/v33.0${path}`, {
    method,
    headers: {
      accept: "application/json",
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
  const text = await answer.text();
  return text === "" ? undefined : JSON.parse(text);
}
