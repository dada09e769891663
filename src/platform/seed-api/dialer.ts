import type { HttpClient } from "../../core/http/http-client.ts";
import type { DialerPort } from "../ports/dialer.ts";

/** Seed 003 over the seed API (stub: filled in by the dialer issue). */
export function seedDialer(http: HttpClient): DialerPort {
  void http;
  return { kind: "dialer" };
}
