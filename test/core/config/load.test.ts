import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadSettings, requireCxoneConnection } from "../../../src/core/config/index.ts";

function dirWithConfig(yaml?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-config-"));
  if (yaml !== undefined) writeFileSync(path.join(dir, "cxo.config.yaml"), yaml);
  return dir;
}

const FILE = `
cxone:
  baseUrl: http://file.example
  clientId: file-client
  auth: { credentials: body, encoding: json, scopes: [dialer:read] }
dataDir: ./from-file
destinations:
  bi: { url: http://127.0.0.1:9000/bi, secret: whsec_ZmlsZQ== }
`;

describe("loadSettings", () => {
  it("cxone.auth as a string in the file is the login mode; CXONE_AUTH overrides it; the style still layers", () => {
    const cwd = dirWithConfig("cxone:\n  auth: access-key\n  area: eu1\n");
    expect(loadSettings({ env: {}, cwd }).cxone).toMatchObject({ auth: { mode: "access-key" }, area: "eu1" });
    const layered = loadSettings({ env: { CXONE_AUTH: "application", CXONE_AUTH_CREDENTIALS: "body" }, cwd });
    expect(layered.cxone.auth).toMatchObject({ mode: "application", credentials: "body" });
    const styled = loadSettings({ env: { CXONE_AUTH_CREDENTIALS: "body" }, cwd });
    expect(styled.cxone.auth).toMatchObject({ mode: "access-key", credentials: "body" });
  });

  it("uses defaults when nothing is set", () => {
    const cwd = dirWithConfig();
    const settings = loadSettings({ env: {}, cwd });
    expect(settings.dataDir).toBe(path.join(cwd, ".cxo"));
    // Client auth unset: Basic on the seed API; the issuer's discovery decides on production.
    expect(settings.cxone.auth).toEqual({
      mode: "auto",
      encoding: "form",
      scopes: [],
      expiryMarginSeconds: 60,
    });
    expect(settings.http.maxAttempts).toBe(6);
  });

  it("layers flags over env over the config file", () => {
    const cwd = dirWithConfig(FILE);
    const fileOnly = loadSettings({ env: {}, cwd });
    expect(fileOnly.cxone.baseUrl).toBe("http://file.example");
    expect(fileOnly.cxone.auth.encoding).toBe("json");

    const env = {
      CXONE_BASE_URL: "http://env.example",
      CXONE_CLIENT_SECRET: "env-secret",
      CXO_DATA_DIR: "/tmp/env-data",
    };
    const withEnv = loadSettings({ env, cwd });
    expect(withEnv.cxone.baseUrl).toBe("http://env.example");
    expect(withEnv.cxone.clientId).toBe("file-client");
    expect(withEnv.cxone.clientSecret).toBe("env-secret");
    expect(withEnv.dataDir).toBe("/tmp/env-data");

    const withFlags = loadSettings({ env, cwd, flags: { baseUrl: "http://flag.example", dataDir: "rel" } });
    expect(withFlags.cxone.baseUrl).toBe("http://flag.example");
    expect(withFlags.dataDir).toBe(path.join(cwd, "rel"));
  });

  it("reads auth style and scopes from the environment", () => {
    const settings = loadSettings({
      env: {
        CXONE_AUTH_CREDENTIALS: "body",
        CXONE_AUTH_ENCODING: "form",
        CXONE_SCOPES: "interactions:write dispositions:read",
      },
      cwd: dirWithConfig(),
    });
    expect(settings.cxone.auth).toMatchObject({
      credentials: "body",
      encoding: "form",
      scopes: ["interactions:write", "dispositions:read"],
    });
  });

  it("sets or overrides a webhook destination from CXO_DEST_<NAME>_URL/_SECRET", () => {
    const settings = loadSettings({
      env: { CXO_DEST_BI_SECRET: "whsec_b3ZlcnJpZGU=", CXO_DEST_CRM_URL: "http://127.0.0.1:9100/crm" },
      cwd: dirWithConfig(FILE),
    });
    expect(settings.destinations.bi).toMatchObject({
      url: "http://127.0.0.1:9000/bi",
      secret: "whsec_b3ZlcnJpZGU=",
      maxAttempts: 12,
    });
    expect(settings.destinations.crm).toMatchObject({ url: "http://127.0.0.1:9100/crm" });
  });

  it.each([
    [{ CXONE_BASE_URL: "not a url" }, "cxone.baseUrl", /http\(s\) URL.*--base-url, CXONE_BASE_URL/],
    [{ CXONE_TOKEN_URL: "ftp://x" }, "cxone.tokenUrl", /--token-url, CXONE_TOKEN_URL/],
    [{ CXONE_AUTH_CREDENTIALS: "header" }, "cxone.auth.credentials", /CXONE_AUTH_CREDENTIALS/],
    [{ CXO_LOG_LEVEL: "loud" }, "log.level", /--log-level, CXO_LOG_LEVEL/],
    [{ CXO_DEST_BI_SECRET: "whsec_x" }, "destinations.bi.url", /is required.*CXO_DEST_BI_URL/],
  ])("a malformed or missing value names the setting and how to set it: %j", (env, setting, message) => {
    const error = (() => {
      try {
        loadSettings({ env, cwd: dirWithConfig() });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.setting).toBe(setting);
    expect(error.message).toMatch(message);
  });

  it("rejects unknown keys and bad YAML in the config file, naming them", () => {
    expect(() => loadSettings({ env: {}, cwd: dirWithConfig("cxone:\n  baseUrll: http://x\n") })).toThrow(
      /cxone.*baseUrll/,
    );
    expect(() => loadSettings({ env: {}, cwd: dirWithConfig("cxone: [unclosed\n") })).toThrow(
      /not valid YAML/,
    );
    expect(() => loadSettings({ env: {}, cwd: dirWithConfig(), flags: { config: "missing.yaml" } })).toThrow(
      /does not exist/,
    );
  });

  it("refuses two Parquet schedules of one campaign into one outDir (one dataset), naming both; other pairs pass", () => {
    const config = (second: string) =>
      `service:\n  exports:\n    - { campaign: "701", format: parquet, outDir: ./shared }\n    - ${second}\n`;
    expect(() =>
      loadSettings({
        env: {},
        cwd: dirWithConfig(config('{ campaign: "701", format: parquet, outDir: shared/ }')),
      }),
    ).toThrow(/service\.exports\.1\.outDir.*same Parquet dataset as exports\[0\]/s);
    for (const fine of [
      '{ campaign: "703", format: parquet, outDir: ./shared }',
      '{ campaign: "701", format: parquet, outDir: ./other }',
      '{ campaign: "701", format: ndjson, outDir: ./shared }',
    ])
      expect(loadSettings({ env: {}, cwd: dirWithConfig(config(fine)) }).service.exports).toHaveLength(2);
  });

  it("requireCxoneConnection names the first missing connection setting and defaults the token URL", () => {
    const settings = loadSettings({ env: { CXONE_BASE_URL: "http://api.example/" }, cwd: dirWithConfig() });
    expect(() => requireCxoneConnection(settings)).toThrow(
      /cxone.clientId: is required.*--client-id, CXONE_CLIENT_ID/,
    );
    const full = loadSettings({
      env: { CXONE_BASE_URL: "http://api.example/", CXONE_CLIENT_ID: "id", CXONE_CLIENT_SECRET: "secret" },
      cwd: dirWithConfig(),
    });
    expect(requireCxoneConnection(full).tokenUrl).toBe("http://api.example/oauth/token");
  });
});
