import { describe, expect, it } from "vitest";
import { redactBody } from "../../../src/core/http/har.ts";
import { redactValue } from "../../../src/core/logging/secrets.ts";

/**
 * Issue 50 §6: a recording masks the identifiers of credentials (the access key's id, also as
 * the password grant's `username`) and keeps the public discovery URLs (`authorization_endpoint`).
 */
const KEY_ID = "AKIA-emu-0f3c9b2e";

describe("HAR bodies", () => {
  it("the access-key grant's JSON body: neither the key's id nor its secret", () => {
    const text = redactBody(
      JSON.stringify({ accessKeyId: KEY_ID, accessKeySecret: "s3cr3t-value" }),
      "application/json",
    );
    expect(text).not.toContain(KEY_ID);
    expect(text).not.toContain("s3cr3t-value");
    expect(JSON.parse(text!)).toEqual({ accessKeyId: "[CREDENTIAL-ID]", accessKeySecret: "[REDACTED]" });
  });

  it("the password grant's form: the key's id (username) and the password masked, the grant type kept", () => {
    const text = redactBody(
      `grant_type=password&username=${KEY_ID}&password=s3cr3t-value`,
      "application/x-www-form-urlencoded",
    );
    expect(text).not.toContain(KEY_ID);
    expect(text).not.toContain("s3cr3t-value");
    expect(text).toContain("grant_type=password");
  });

  it("the discovery document: its endpoints are public URLs, kept as they are", () => {
    const discovery = {
      issuer: "https://cxone.niceincontact.com",
      authorization_endpoint: "https://cxone.niceincontact.com/auth/authorize",
      token_endpoint: "https://cxone.niceincontact.com/auth/token",
      jwks_uri: "https://cxone.niceincontact.com/auth/jwks",
      end_session_endpoint: "https://cxone.niceincontact.com/auth/logout",
    };
    expect(JSON.parse(redactBody(JSON.stringify(discovery), "application/json")!)).toEqual(discovery);
  });

  it("logs mask an authorization header still (the endpoint rule is for *_endpoint / *_uri names)", () => {
    expect(
      redactValue({ authorization: "Bearer abcdefghijkl", authorization_endpoint: "https://x/auth" }),
    ).toEqual({
      authorization: "[REDACTED]",
      authorization_endpoint: "https://x/auth",
    });
  });
});
