import type { AccessPort } from "./ports/access.ts";
import type { CampaignsPort } from "./ports/campaigns.ts";
import type { DiagnosisPort } from "./ports/diagnosis.ts";
import type { DialerPort } from "./ports/dialer.ts";
import type { DispositionsPort } from "./ports/dispositions.ts";
import type { DncGroupsPort } from "./ports/dnc-groups.ts";
import type { DoctorPort } from "./ports/doctor.ts";
import type { InteractionsPort } from "./ports/interactions.ts";
import type { ListsPort } from "./ports/lists.ts";
import type { LivePort } from "./ports/live.ts";
import type { OutcomesPort } from "./ports/outcomes.ts";
import type { ScheduledCallbacksPort } from "./ports/scheduled-callbacks.ts";
import type { PlatformSupport } from "./support.ts";

/**
 * The port: everything the capabilities need from CXone, as typed functions grouped by
 * capability (one file each under ports/). Capabilities depend on these interfaces only —
 * never on URLs or HTTP — and two adapters implement them: `seed-api/` (the API the seed
 * tutorials describe) and `cxone/` (NICE's production inContactAPI). What a platform cannot do
 * is refused by `support` with NotSupportedError before anything is sent. Failures are the
 * typed errors of core/http (ValidationError, ConflictError, PreconditionFailedError, …).
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
  /** Live figures (agents, contacts, today's counts), seconds old: ports/live.ts. */
  readonly live: LivePort;
  /** Calling lists whose records carry their call time; absent where there are none (`lists.timed`). */
  readonly lists?: ListsPort;
  /** The tenant's CXone DNC groups; absent where the platform has none (`dncGroups`). */
  readonly dncGroups?: DncGroupsPort;
  /** Callbacks CXone dials at a set time outside any list; absent where there are none (`scheduledCallbacks`). */
  readonly scheduledCallbacks?: ScheduledCallbacksPort;
  /** `cxo doctor`: the adapter's assumptions checked against the tenant (a platform with none has no doctor). */
  readonly doctor?: DoctorPort;
  /** `cxo why`: a campaign's skill state and its list's records with their dialing state. */
  readonly diagnosis: DiagnosisPort;
  /** Ends what the port opened on the platform (agent sessions); the client's close calls it. */
  close?(): Promise<void>;
}
