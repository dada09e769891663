import { timingSafeEqual } from "node:crypto";

/**
 * OAuth2 client authentication helpers shared by both emulators' token endpoints: the HTTP
 * Basic header (RFC 6749 §2.3.1: both parts form-urlencoded before base64) and a
 * constant-time secret comparison.
 */
export function parseBasic(header: string | undefined): { id: string; secret: string } | null {
  const match = header ? /^Basic\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) return null;
  const decoded = Buffer.from(match[1] as string, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon === -1) return null;
  const formDecode = (part: string) => {
    try {
      return decodeURIComponent(part.replace(/\+/g, " "));
    } catch {
      return part;
    }
  };
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
