import { describe, expect, it } from "vitest";
import { createInternalClient } from "../../src/client.ts";
import { createClient } from "../../src/index.ts";
import { coreOf, portOf } from "../../src/internal.ts";

/**
 * Issue 43 §2: the client does not expose its raw port and HTTP core. They are reached through
 * the unstable internal entry point (`cxone-outbound/internal`), never found on the client by
 * enumerating it, spreading it or reading a property.
 */
const options = {
  connection: { baseUrl: "http://127.0.0.1:9", clientId: "id", clientSecret: "secret" },
  dataDir: "/nonexistent/never-opened",
};

describe("a client's internals", () => {
  it("are not on the client: no port or core property, enumerable or not", async () => {
    await using cxo = createClient(options);
    expect("port" in cxo).toBe(false);
    expect("core" in cxo).toBe(false);
    expect(Object.getOwnPropertyNames(cxo)).not.toContain("port");
    expect(Object.getOwnPropertyNames(cxo)).not.toContain("core");
    expect(Object.keys({ ...cxo })).toEqual(
      expect.arrayContaining(["access", "dispositions", "campaigns", "dialer", "outcomes", "close"]),
    );
    expect(Object.keys({ ...cxo })).not.toEqual(expect.arrayContaining(["port"]));
  });

  it("are reached through the internal entry point: portOf and coreOf", async () => {
    await using cxo = createClient(options);
    const port = portOf(cxo);
    expect(typeof port.outcomes.listCalls).toBe("function");
    expect(typeof coreOf(cxo).http.on).toBe("function");
    // The same internals every time, and the same as the package's own view of the client.
    expect(portOf(cxo)).toBe(port);
    expect(() => portOf({} as never)).toThrow(TypeError);
  });

  it("the package's internal view shares the client's groups and close", async () => {
    const internal = createInternalClient(options);
    expect(internal.port).toBe(portOf(internal));
    expect(coreOf(internal)).toBe(internal.core);
    await internal.close();
    await expect(internal.access.describe()).rejects.toMatchObject({ code: "client_closed" });
  });
});
