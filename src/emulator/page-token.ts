import { createHash } from "node:crypto";
import { badRequest } from "./errors.ts";

/**
 * Opaque page tokens: base64url JSON carrying the cursor and a fingerprint of the query that
 * made it, so a token replayed with other filters is a 400 rather than a silently wrong page.
 */
export function fingerprint(parts: readonly unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 16);
}

export function encodePageToken(payload: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(payload)).toString("base64url");
}

export function decodePageToken<T extends Record<string, unknown>>(
  token: string,
  expectedFingerprint: string,
  parameter: string,
): T {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw badRequest(`${parameter} is not a token this server issued`, { field: parameter });
  }
  if (!payload || typeof payload !== "object" || (payload as { f?: unknown }).f !== expectedFingerprint) {
    throw badRequest(`${parameter} belongs to a different query (send the same filters with it)`, {
      field: parameter,
    });
  }
  return payload as T;
}
