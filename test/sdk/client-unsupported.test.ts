import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConnectionMissingError, createClient, InputError, NotSupportedError } from "../../src/index.ts";

// `client.unsupported(operation)`: the platform's answer to "may I?", asked of the client (as
// `cxo serve` asks it) rather than of its port. Local: nothing is sent, before or after close().
const dataDir = () => mkdtempSync(path.join(tmpdir(), "cxo-unsupported-"));

describe("client.unsupported", () => {
  it("the seed API: no DNC groups, no scheduled callbacks, no timed lists, no changed calls; the rest offered", async () => {
    const cxo = createClient({
      connection: { baseUrl: "http://127.0.0.1:9", clientId: "a", clientSecret: "b" },
      dataDir: dataDir(),
    });
    try {
      for (const operation of [
        "dncGroups",
        "scheduledCallbacks",
        "lists.timed",
        "outcomes.changedCalls",
      ] as const) {
        const refusal = cxo.unsupported(operation);
        expect(refusal, operation).toBeInstanceOf(NotSupportedError);
        expect(refusal?.code).toBe("not_supported_by_platform");
      }
      expect(cxo.unsupported("dncGroups")?.message).toMatch(/the seed API has no DNC group endpoints/);
      expect(cxo.unsupported("campaigns.subscribe")).toBeUndefined();
      expect(cxo.unsupported("dialer.livePacing")).toBeUndefined();
    } finally {
      await cxo.close();
    }
    // Still answered after close(): a question about the platform, not a call.
    expect(cxo.unsupported("dncGroups")).toBeInstanceOf(NotSupportedError);
  });

  it("the production platform: DNC groups and scheduled callbacks offered, live dial-ratio control not", async () => {
    const cxo = createClient({
      connection: { platform: "cxone", accessKeyId: "k", accessKeySecret: "s" },
      dataDir: dataDir(),
    });
    try {
      expect(cxo.unsupported("dncGroups")).toBeUndefined();
      expect(cxo.unsupported("scheduledCallbacks")).toBeUndefined();
      expect(cxo.unsupported("dialer.livePacing")).toBeInstanceOf(NotSupportedError);
    } finally {
      await cxo.close();
    }
  });

  it("a client without a connection answers every operation with its ConnectionMissingError", async () => {
    const cxo = createClient({ dataDir: dataDir() } as never);
    try {
      expect(cxo.unsupported("dncGroups")).toBeInstanceOf(ConnectionMissingError);
      expect(cxo.unsupported("campaigns.subscribe")).toBeInstanceOf(ConnectionMissingError);
    } finally {
      await cxo.close();
    }
  });

  it("an operation no platform knows is an InputError naming operation, not an answer of supported", async () => {
    const cxo = createClient({
      connection: { baseUrl: "http://127.0.0.1:9", clientId: "a", clientSecret: "b" },
      dataDir: dataDir(),
    });
    try {
      for (const bad of ["dncgroups", "", undefined, 3, "toString"]) {
        const error = (() => {
          try {
            cxo.unsupported(bad as never);
          } catch (thrown) {
            return thrown;
          }
        })();
        expect(error, String(bad)).toBeInstanceOf(InputError);
        expect((error as InputError).problems[0]?.field).toBe("operation");
      }
    } finally {
      await cxo.close();
    }
  });
});
