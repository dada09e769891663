import { isIP } from "node:net";

/**
 * Whether a host name or address only reaches this machine: `localhost` (and its
 * `*.localhost` names, RFC 6761), 127.0.0.0/8, ::1 (with or without brackets). A name that
 * needs DNS is not loopback: we cannot know where it points, and a DNS-rebinding attacker
 * controls that answer.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
  if (bare === "localhost" || bare.endsWith(".localhost") || bare === "::1") return true;
  if (bare === "::ffff:127.0.0.1") return true;
  return isIP(bare) === 4 && bare.startsWith("127.");
}
