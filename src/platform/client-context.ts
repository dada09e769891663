import type { ConnectionMissingError } from "../core/connection-missing-error.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Operation, RedriveReport, Store } from "../core/store/index.ts";
import type { CxonePort } from "./port.ts";

/**
 * The consent settings a client acts on: the CXone group revocations go to, the seller, and what
 * an agent's "Do Not Call" covers (`consent.agentDoNotCall`).
 */
export interface ConsentSettingsOfClient {
  cxoneDncGroup?: string | undefined;
  seller?: string | undefined;
  agentDoNotCall?: "number" | "account" | undefined;
}

/**
 * What a capability's workflow is given of the client it runs for: the port, the local store
 * (opened on first use) and the client's settings. The SDK's runtime (sdk/runtime.ts) is one;
 * workflows take this, so that they depend on what they use, never on the SDK. Their signal is
 * the call's (sdk/call.ts), handed to them as a parameter.
 */
export interface ClientContext {
  readonly port: CxonePort;
  /**
   * Set when the client was built without a connection: the port refuses with it, and the
   * workflows that read CXone only to add to local facts (a check, a report, honour's local
   * part) do without, saying what they did not read.
   */
  readonly missingConnection?: ConnectionMissingError | undefined;
  readonly actor: string;
  /** The business unit (createClient's `tenant`); undefined: the only one. */
  readonly tenant: string | undefined;
  readonly consent: ConsentSettingsOfClient;
  /** The seller's state registrations. */
  readonly registrations: Readonly<Record<string, { number: string; until: string }>>;
  /** How old the synced copy of the CXone DNC groups may be (minutes). */
  readonly cxoneDncMaxAgeMinutes: number;
  /** How old the last read of agents' do-not-call dispositions may be (minutes). */
  readonly dispositionsMaxAgeMinutes: number;
  readonly logger: Logger | undefined;
  /** The rule dates counsel moved (`rules.effectiveDates`): what doctor warns about when absent. */
  readonly effectiveDates?: Readonly<Record<string, string>> | undefined;
  /**
   * The voice each skill's calls use (`compliance.skills`, by skill id): with a campaign spec's,
   * the default of every check, plan, push and evidence record for the skill.
   */
  readonly skillVoices?:
    | Readonly<
        Record<string, { voice: "live" | "prerecorded" | "ai"; announcement?: "live"; discloses?: "ai" }>
      >
    | undefined;
  /** The store of the data dir, opened (and migrated) on first use. */
  store(): Promise<Store>;
  /**
   * The store, after `capability`'s pending journal rows were re-driven (once per client):
   * `redrive` is the capability's operations (handed to the journal) or a function doing it.
   */
  storeFor(
    capability: string,
    redrive: ((store: Store) => Promise<RedriveReport | null>) | Operation<never, unknown>[],
  ): Promise<Store>;
}
