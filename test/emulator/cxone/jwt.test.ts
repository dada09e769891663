import { describe, expect, it } from "vitest";
import { signJwt, verifyJwt } from "../../../src/emulator/cxone/jwt.ts";

describe("the production emulator's tokens", () => {
  it("a token checked once is not checked again, and still says only what it says", () => {
    const token = signJwt({ sub: "user:1", exp: 2_000_000_000 });
    expect(verifyJwt(token)).toEqual({ sub: "user:1", exp: 2_000_000_000 });
    // A caller changing the claims it was given does not change what the next caller gets.
    const first = verifyJwt(token)!;
    first.sub = "user:2";
    expect(verifyJwt(token)).toEqual({ sub: "user:1", exp: 2_000_000_000 });
    // Tampering with a known token's payload or signature is still refused.
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ sub: "user:9", exp: 2_000_000_000 })).toString("base64url");
    expect(verifyJwt(`${header}.${forged}.${signature}`)).toBeNull();
    expect(verifyJwt(`${header}.${payload}.${signature.slice(0, -2)}AA`)).toBeNull();
    expect(verifyJwt("not.a.token")).toBeNull();
  });
});
