import { packageVersion } from "../package-version.ts";

let version: string | undefined;

/** The package's version, read once; `unknown` when its manifest cannot be read (no request fails for it). */
function sdkVersion(): string {
  if (version === undefined) {
    try {
      version = packageVersion();
    } catch {
      version = "unknown";
    }
  }
  return version;
}

/**
 * The User-Agent of every request a client sends (API calls, tokens, discovery):
 * `cxone-outbound/<version> node/<version>`, after the caller's own product when `http.userAgent`
 * names one (`acme-dialer/2.1 cxone-outbound/0.2.0 node/24.1.0`), so a tenant's API logs and
 * NICE support can tell SDK versions, and one integration from another, apart.
 */
export function sdkUserAgent(given?: string): string {
  const own = `cxone-outbound/${sdkVersion()} node/${process.versions.node}`;
  return given ? `${given} ${own}` : own;
}
