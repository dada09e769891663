import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { requirePlatformConnection } from "../../src/core/config/connection.ts";
import { settingsSchema } from "../../src/core/config/schema.ts";
import * as sdk from "../../src/index.ts";
import { resolveConnection } from "../../src/sdk/build-client.ts";
import { checkOption } from "../../src/sdk/option-checks.ts";

/**
 * The connection options are one model (core/config/client-schema.ts's fields, rules.ts's
 * defaults): what `createClient` resolves from a connection is what the settings file resolves
 * from the same values under `cxone:` — defaults, trimmed URLs and the login included. The
 * production API endpoint is `apiEndpoint` to the SDK and `baseUrl` to the settings file.
 */
const profile = path.resolve(tmpdir(), "tenant-profile.yaml");
const rows: Array<[string, Record<string, unknown>]> = [
  ["seed", { baseUrl: "http://seed.example/", clientId: "a", clientSecret: "b" }],
  [
    "seed, its own token URL",
    { baseUrl: "http://seed.example", tokenUrl: "http://auth.example/t", clientId: "a", clientSecret: "b" },
  ],
  [
    "seed, a token request's style",
    {
      baseUrl: "http://seed.example",
      clientId: "a",
      clientSecret: "b",
      auth: { credentials: "body", encoding: "json" },
    },
  ],
  [
    "production, the access key alone (every default)",
    { platform: "cxone", accessKeyId: "k", accessKeySecret: "s" },
  ],
  ["production, another area", { platform: "cxone", accessKeyId: "k", accessKeySecret: "s", area: "eu1" }],
  [
    "production, everything given",
    {
      platform: "cxone",
      accessKeyId: "k",
      accessKeySecret: "s",
      clientId: "app",
      clientSecret: "app-secret",
      issuer: "https://issuer.example/",
      accessKeyUrl: "https://login.example/key/",
      tenantId: "t-1",
      apiVersion: "v12.0",
      apiEndpoint: "https://api.example/",
      tenantProfile: profile,
    },
  ],
  [
    "production, the access key though an application is given",
    {
      platform: "cxone",
      accessKeyId: "k",
      accessKeySecret: "s",
      clientId: "app",
      clientSecret: "x",
      auth: { mode: "access-key" },
    },
  ],
];

/** The same values as the settings file's `cxone:` (the API endpoint under `baseUrl`). */
function asSettings(connection: Record<string, unknown>): Record<string, unknown> {
  const { apiEndpoint, ...rest } = connection;
  return apiEndpoint === undefined ? rest : { ...rest, baseUrl: apiEndpoint };
}

describe("createClient's connection is the settings file's", () => {
  it.each(rows)("%s", async (_name, connection) => {
    const fromSettings = requirePlatformConnection(settingsSchema.parse({ cxone: asSettings(connection) }));
    expect(resolveConnection(connection as never, checkOption)).toEqual(fromSettings);
    // And what the client says of it (the profile's file is not read here: no need for one).
    const { tenantProfile: _profile, ...built } = connection;
    await using client = sdk.createClient({
      connection: built as never,
      dataDir: mkdtempSync(path.join(tmpdir(), "cxo-connection-model-")),
    });
    const info = client.connection as Record<string, unknown>;
    for (const key of ["platform", "issuer", "apiVersion", "tenantId", "baseUrl", "tokenUrl", "clientId"])
      if (key in info)
        expect(info[key], key).toEqual((fromSettings as unknown as Record<string, unknown>)[key]);
  });
});
