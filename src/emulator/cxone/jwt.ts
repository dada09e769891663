import { generateKeyPairSync, type KeyObject, randomUUID, sign, verify } from "node:crypto";

/**
 * RS256 JSON Web Tokens, signed with a key made once per process (an emulator's tokens need
 * not survive a restart). Clients may read the claims (base64url) and may check the signature
 * against `/auth/jwks`.
 */
interface KeyPair {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

let keys: KeyPair | null = null;

function keyPair(): KeyPair {
  if (!keys) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    keys = { kid: randomUUID(), privateKey, publicKey };
  }
  return keys;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function signJwt(claims: Record<string, unknown>): string {
  const { kid, privateKey } = keyPair();
  const input = `${b64({ alg: "RS256", typ: "JWT", kid })}.${b64(claims)}`;
  return `${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
}

/**
 * Tokens whose signature was checked, with their claims: a client sends one token with many
 * requests, and an RS256 check was half of a production-API request's CPU in the emulator. The
 * answer for a given string never changes (one key per process), so this is no shortcut; the
 * claims' expiry and generation are still checked per request (tokens.ts). Emptied when full.
 */
const verified = new Map<string, Record<string, unknown>>();
const VERIFIED_MAX = 10_000;

/** The claims of a token this process signed, or null (malformed, foreign, tampered). */
export function verifyJwt(token: string): Record<string, unknown> | null {
  const known = verified.get(token);
  if (known) return { ...known };
  const claims = verifyJwtSignature(token);
  if (claims) {
    if (verified.size >= VERIFIED_MAX) verified.clear();
    verified.set(token, { ...claims });
  }
  return claims;
}

function verifyJwtSignature(token: string): Record<string, unknown> | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [header, payload, signature] = parts as [string, string, string];
  try {
    const ok = verify(
      "sha256",
      Buffer.from(`${header}.${payload}`),
      keyPair().publicKey,
      Buffer.from(signature, "base64url"),
    );
    if (!ok) return null;
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown;
    return claims && typeof claims === "object" ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function jwks(): { keys: Record<string, unknown>[] } {
  const { kid, publicKey } = keyPair();
  const jwk = publicKey.export({ format: "jwk" }) as Record<string, unknown>;
  return { keys: [{ kty: "RSA", use: "sig", alg: "RS256", kid, n: jwk.n, e: jwk.e }] };
}
