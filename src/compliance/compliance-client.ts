import type { ClientContext } from "../platform/client-context.ts";
import type { RndPort } from "../platform/ports/rnd.ts";
import type { ComplianceEngine } from "./engine.ts";
import type { DncRegistries } from "./registry/lookup.ts";

/** The client's Reassigned Numbers Database settings (`compliance.rnd`). */
export interface RndSettingsOfClient {
  batchSize: number;
  maxAgeDays: number;
  noData: "allow" | "refuse";
}

/**
 * A client as the compliance workflows see it (a check, a scrub, a plan, evidence): its context,
 * the DNC registry copies imported into its data dir, its compliance engine, and the RND when it
 * is configured.
 */
export interface ComplianceClient extends ClientContext {
  /**
   * The client's compliance engine (engine.ts), made on first use: its caches serve every check,
   * scrub, plan, push and evidence run of the client and go with it.
   */
  complianceEngine(): Promise<ComplianceEngine>;
  /** The DNC registry copies of the data dir, opened on first use. */
  dncRegistries(): Promise<DncRegistries>;
  /** The RND's settings; undefined when the client has none. */
  readonly rnd: RndSettingsOfClient | undefined;
  /** The RND's port, made on first use (undefined when the client has no `rnd` settings). */
  rndQueries(): Promise<RndPort> | undefined;
}
