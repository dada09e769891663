import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeError } from "../../../src/cli/exit-codes.ts";
import {
  type InternalClient as CxoneClient,
  clientOptionsFromSettings,
  createInternalClient as createClient,
} from "../../../src/client.ts";
import { type CxoneError, errorFromResponse, whatCxoneSaid } from "../../../src/core/http/errors.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { accessKeySettings } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";

/**
 * Conformance §2: CXone's error answers are `{error, errorDescription}` (GEN's model), and the
 * human-readable reason may come only in the `icStatusDescription` header (TAP). A client that
 * reads neither shows a bare `InvalidParameter`; ours carries CXone's words to the one-line CLI
 * message and to the error's JSON.
 */
describe("whatCxoneSaid / errorFromResponse", () => {
  it.each([
    [{ error: "InvalidParameter", errorDescription: "Skill 5 is not running" }, undefined],
    [{ error: "InvalidParameter", error_description: "Skill 5 is not running" }, undefined],
    [{ error: "InvalidParameter" }, "Skill 5 is not running"],
    ["", "Skill 5 is not running"],
  ])("%j with header %j carries the words and the code", (body, header) => {
    const said = whatCxoneSaid(body, header);
    expect(said.description).toBe("Skill 5 is not running");
    const error = errorFromResponse(400, {
      method: "POST",
      endpoint: "/contacts/1/set-disposition",
      body,
      ...(header ? { statusDescription: header } : {}),
    });
    expect(error.message).toContain("Skill 5 is not running");
    expect(error.cxoneDescription).toBe("Skill 5 is not running");
    expect(describeError(error)).toMatch(/^error: .*Skill 5 is not running/);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ cxoneDescription: "Skill 5 is not running" });
    if (typeof body === "object") {
      expect(error.cxoneError).toBe("InvalidParameter");
      expect(error.message).toContain("(InvalidParameter)");
    }
  });

  it("a code alone is still shown; nothing at all falls back to the status", () => {
    expect(errorFromResponse(400, { endpoint: "GET /x", body: { error: "InvalidParameter" } }).message).toBe(
      "GET /x failed with 400: InvalidParameter",
    );
    expect(errorFromResponse(503, { endpoint: "GET /x", body: "" }).message).toBe("GET /x failed with 503");
  });
});

describe("the adapter against the production emulator's error layouts", () => {
  let emulator: RunningCxoneEmulator;
  let client: CxoneClient;
  beforeAll(async () => {
    emulator = (await startEmulator({
      platform: "cxone",
      port: 0,
      seed: 9,
      contacts: 100,
    })) as RunningCxoneEmulator;
    const options = clientOptionsFromSettings(accessKeySettings(emulator));
    client = createClient({
      ...options,
      dataDir: mkdtempSync(path.join(tmpdir(), "cxo-errors-")),
      http: { ...options.http, backoffBaseMs: 5, backoffCapMs: 20 },
    });
  });
  afterAll(async () => {
    await client.close();
    await emulator.close();
  });

  it.each(["cxone", "oauth", "message", "header"])(
    "errorBody=%s: the error carries CXone's words",
    async (layout) => {
      await adminCall(emulator.url, "POST", "/knobs", { errorBody: layout });
      const error = (await client.port.campaigns.get("987654").then(
        () => undefined,
        (e: unknown) => e,
      )) as CxoneError;
      expect(error?.status).toBe(404);
      expect(error.cxoneDescription).toMatch(/987654/);
      expect(error.message).toContain(error.cxoneDescription!);
      if (layout === "cxone" || layout === "oauth") expect(error.cxoneError).toBe("NotFound");
    },
  );
});
