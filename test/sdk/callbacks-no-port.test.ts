import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/input-error.ts";
import { NotSupportedError } from "../../src/platform/errors.ts";
import { callbacksGroup } from "../../src/sdk/callbacks.ts";
import { runtimeOverPort } from "../support/runtime-over-port.ts";

/**
 * `callbacks.*` on a port that says it supports everything but has no scheduled callbacks: the
 * platform's lack (NotSupportedError, `not_supported_by_platform`), not the caller's input (it was
 * an InputError naming `platform`, exit 2 at the CLI). Bad input is still refused first.
 */
function callbacksOver(port: object) {
  return callbacksGroup(runtimeOverPort(port));
}

const withoutCallbacks = { support: { name: "cxone", unsupported: () => undefined } };

describe("callbacks on a platform without the port", () => {
  it("list, list of a skill and cancel refuse with NotSupportedError naming the operation, nothing sent", async () => {
    const callbacks = callbacksOver(withoutCallbacks);
    for (const attempt of [
      () => callbacks.list().toArray(),
      () => callbacks.list({ agent: "42" }).toArray(),
      () => callbacks.cancel("1001"),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotSupportedError);
      expect(error).toMatchObject({
        code: "not_supported_by_platform",
        platform: "cxone",
        operation: "scheduledCallbacks",
      });
    }
  });

  it("bad input is still the caller's: an agent id that is not digits is an InputError", async () => {
    const error = await callbacksOver(withoutCallbacks)
      .list({ agent: "bob" })
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.map((p) => p.field)).toEqual(["agent"]);
  });
});
