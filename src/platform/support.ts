import type { Platform } from "../core/config/schema.ts";
import type { NotSupportedError } from "./errors.ts";

/**
 * Port functions a platform may not offer. A caller that must not send anything for an
 * unsupported operation (the CLI, the demo) asks first; the port function itself refuses too.
 */
export type PortOperation =
  | "campaigns.subscribe"
  | "interactions.replaceDispositions"
  | "dialer.auditLog"
  | "campaigns.listContacts.consentOnly";

export interface PlatformSupport {
  readonly name: Platform;
  /** The refusal calling `operation` would end in (nothing sent), or undefined when supported. */
  unsupported(operation: PortOperation): NotSupportedError | undefined;
}

export const SEED_SUPPORT: PlatformSupport = { name: "seed", unsupported: () => undefined };
