/**
 * Seed 003: tenant dialer settings with version tags, asynchronous operations, policy
 * validation, analytics and the dialer audit log (stub: filled in by the dialer issue).
 */
export interface DialerPort {
  readonly kind: "dialer";
}
