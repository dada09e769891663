import type { AccessPort } from "./ports/access.ts";
import type { CampaignsPort } from "./ports/campaigns.ts";
import type { DialerPort } from "./ports/dialer.ts";
import type { DispositionsPort } from "./ports/dispositions.ts";
import type { InteractionsPort } from "./ports/interactions.ts";
import type { OutcomesPort } from "./ports/outcomes.ts";
import type { PlatformSupport } from "./support.ts";

/**
 * The port: everything the capabilities need from CXone, as typed functions grouped by
 * capability (one file each under ports/). Capabilities depend on these interfaces only —
 * never on URLs or HTTP — so an adapter for NICE's production API can be added beside
 * `seed-api/` without touching them. Failures are the typed errors of core/http
 * (ValidationError, ConflictError, PreconditionFailedError, …).
 */
export interface CxonePort {
  /** Which platform this is and what it cannot do (ask before sending anything). */
  readonly support: PlatformSupport;
  readonly access: AccessPort;
  readonly dispositions: DispositionsPort;
  readonly interactions: InteractionsPort;
  readonly outcomes: OutcomesPort;
  readonly campaigns: CampaignsPort;
  readonly dialer: DialerPort;
}
