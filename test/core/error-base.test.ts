import { describe, expect, it } from "vitest";
import * as sdk from "../../src/index.ts";

/**
 * Issue 43 §2: one error base class. Every error class the package exports extends CxoError,
 * `isSdkError` is `instanceof CxoError`, and the maths' own RangeError reaches nobody.
 */
describe("CxoError", () => {
  const classes = Object.entries(sdk).filter(
    ([name, value]) => /^[A-Z]\w*Error$/.test(name) && typeof value === "function" && name !== "CxoError",
  ) as Array<[string, new (...args: never[]) => Error]>;

  it("every exported error class extends it", () => {
    expect(classes.length).toBeGreaterThan(20);
    for (const [name, Class] of classes) expect(Class.prototype instanceof sdk.CxoError, name).toBe(true);
  });

  it("isSdkError is instanceof; status and requestId are on every error (undefined when not CXone's)", () => {
    const input = new sdk.InputError({ field: "x", rule: "is wrong" });
    expect(sdk.isSdkError(input)).toBe(true);
    expect(input).toMatchObject({ code: "invalid_input", status: undefined, requestId: undefined });
    const notFound = new sdk.NotFoundError("gone", { status: 404, requestId: "req-1" });
    expect(notFound).toBeInstanceOf(sdk.CxoError);
    expect(notFound).toMatchObject({ code: "not_found", status: 404, requestId: "req-1" });
    // A look-alike is not ours.
    expect(sdk.isSdkError(Object.assign(new Error("x"), { code: "not_found" }))).toBe(false);
  });

  it("dialer.erlang with an input its maths refuses raises InputError, not RangeError", async () => {
    const client = sdk.createClient({
      connection: { baseUrl: "http://127.0.0.1:9", clientId: "x", clientSecret: "y" },
    } as never);
    try {
      await expect(
        client.dialer.erlang({ agents: 10, arrivalPerMin: 5, ahtMin: 3, patienceMin: -1 } as never),
      ).rejects.toThrow(sdk.InputError);
    } finally {
      void client.close();
    }
  });
});
