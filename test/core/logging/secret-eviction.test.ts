import { afterEach, describe, expect, it } from "vitest";
import { describeError } from "../../../src/cli/exit-codes.ts";
import { sealRecord } from "../../../src/core/audit/record.ts";
import { createLogger } from "../../../src/core/logging/logger.ts";
import {
  processSecrets,
  redactValue,
  registerSecret,
  registerToken,
  scrubSecrets,
} from "../../../src/core/logging/secrets.ts";

/**
 * Issue 43 §1: long-lived secrets are never forgotten, however many tokens a long-lived service
 * renews. Before, every renewal pushed the oldest entry out of one 1,000-entry set; after ~1,000
 * renewals the client secret and the access-key secret were printed in clear.
 */
afterEach(() => processSecrets.clear());

const CLIENT_SECRET = "client-secret-that-lasts-9f3a";
const ACCESS_KEY_SECRET = "access-key-secret-that-lasts-77c1";

describe("secrets after 5,000 token renewals", () => {
  it("every output channel still scrubs the client secret and the access-key secret; old tokens may go, recent ones stay", () => {
    registerSecret(CLIENT_SECRET);
    registerSecret(ACCESS_KEY_SECRET);
    for (let i = 0; i < 5000; i++) registerToken(`access-token-renewal-${i}-abcdef`);
    const text = `client_secret=${CLIENT_SECRET} key=${ACCESS_KEY_SECRET} token=access-token-renewal-4999-abcdef`;

    const lines: string[] = [];
    const logger = createLogger({
      level: "info",
      destination: { write: (line: string) => void lines.push(line) },
    });
    logger.info({ note: text }, text);
    const channels = {
      scrub: scrubSecrets(text),
      redact: JSON.stringify(redactValue({ note: text })),
      log: lines.join(""),
      error: describeError(new Error(text)),
      audit: JSON.stringify(
        sealRecord({ operation: "op", outcome: "ok", details: { note: text } }, 1, "0", new Date(0)),
      ),
    };
    for (const [channel, out] of Object.entries(channels)) {
      expect(out, channel).not.toContain(CLIENT_SECRET);
      expect(out, channel).not.toContain(ACCESS_KEY_SECRET);
      expect(out, channel).not.toContain("access-token-renewal-4999-abcdef");
    }
    // The token set is bounded: the first renewals are forgotten.
    expect(scrubSecrets("access-token-renewal-0-abcdef")).toBe("access-token-renewal-0-abcdef");
  });
});
