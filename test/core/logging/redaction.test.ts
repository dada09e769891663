import { describe, expect, it } from "vitest";
import { sealRecord } from "../../../src/core/audit/record.ts";
import { redactValue } from "../../../src/core/logging/secrets.ts";

/** Audit redaction fails closed: what it cannot classify is masked, never written as is. */
const seal = (details: unknown) =>
  sealRecord({ operation: "op", outcome: "ok", details }, 1, "0", new Date(0));
const written = (details: unknown) => JSON.stringify(seal(details).details);

describe("redaction fails closed", () => {
  it("masks a secret-named field however deep it sits", () => {
    let deep: Record<string, unknown> = { password: "hunter2-the-password" };
    for (let i = 0; i < 12; i += 1) deep = { level: deep };
    expect(written(deep)).not.toContain("hunter2-the-password");
  });

  it("masks fields whose names say credential in any spelling", () => {
    const text = written({
      accessKeySecret: "ak-secret-value-1",
      api_key: "api-key-value-2",
      "x-api-key": "api-key-value-3",
      privateKey: "private-key-value-4",
      refreshToken: "refresh-value-5",
      clientSecret: "client-secret-value-6",
    });
    for (let i = 1; i <= 6; i += 1) expect(text).not.toContain(`value-${i}`);
  });

  it("masks credential-shaped strings even when nobody registered them", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLWJ5dGVz";
    const text = written({
      note: `sent Authorization: Bearer ${jwt}`,
      raw: jwt,
      hook: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      basic: "Basic dGVzdC1jbGllbnQ6czNjcjN0",
    });
    expect(text).not.toContain("eyJzdWIiOiJ1c2VyIn0");
    expect(text).not.toContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    expect(text).not.toContain("dGVzdC1jbGllbnQ6czNjcjN0");
    expect(text).toContain("sent Authorization");
  });

  it("masks values it cannot classify (Map, Set, class instances, buffers, functions)", () => {
    class Session {
      token = "session-token-value";
    }
    const text = written({
      map: new Map([["k", "map-secret-value"]]),
      set: new Set(["set-secret-value"]),
      session: new Session(),
      bytes: Buffer.from("buffer-secret-value"),
    });
    expect(text).not.toMatch(/map-secret-value|set-secret-value|session-token-value|buffer-secret/);
    expect(redactValue(new Session())).toBe("[REDACTED]");
  });

  it("keeps what it can classify: plain data, dates as ISO text, innocent strings", () => {
    const at = new Date("2026-11-22T10:00:00Z");
    expect(redactValue({ n: 1, ok: true, none: null, list: ["a", 2], at, callId: "c-1" })).toEqual({
      n: 1,
      ok: true,
      none: null,
      list: ["a", 2],
      at: "2026-11-22T10:00:00.000Z",
      callId: "c-1",
    });
  });
});
