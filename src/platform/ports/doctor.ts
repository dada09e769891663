/**
 * `cxo doctor`: what a platform's adapter assumes about a tenant, checked against the tenant
 * itself. The port runs the probes (it alone knows the wire); the SDK journals the scratch
 * writes and counts the requests.
 */

/** One request of a probe and the part of the answer that decided it (credentials and personal data masked). */
export interface DoctorEvidence {
  /** `GET /contacts/completed?orderBy=contactId asc&top=1` (the path below the API version). */
  request: string;
  /** HTTP status; null when no answer came. */
  status: number | null;
  answer?: unknown;
}

export type DoctorProbeKind = "read" | "scratch" | "agent";

export interface DoctorFact {
  /** The fact's name: the tenant profile's key and the production emulator's knob. */
  id: string;
  /** What is asked, in a line. */
  title: string;
  probe: DoctorProbeKind;
  /** What the adapter assumes now: its setting, the loaded tenant profile, or the project's default. */
  assumed: unknown;
  /** What this tenant did; null when the probe could not tell (see `note`). */
  observed: unknown;
  evidence: DoctorEvidence[];
  /** The setting that follows from the observation (`cxone.productionApi.pageSize`), when one does. */
  setting: { path: string; value: unknown } | null;
  /** True when the observation agrees with the assumption, or could not be made. */
  matches: boolean;
  /** What to do when it does not match. */
  fix?: string;
  /** What the observation puts at risk although it agrees (a switch turned off); never fails the run. */
  warning?: string;
  note?: string;
}

/** A write a scratch or agent probe made, and whether what it changed was put back. */
export interface DoctorWrite {
  request: string;
  status: number | null;
  /** True once the block (or state) it changed read back as before. */
  restored: boolean;
}

export interface DoctorRunParams {
  /** A scratch skill the write probes may change and restore (outbound, not running, no list records). */
  scratchSkillId?: string | undefined;
  /** Probe the scratch skill even if it is running or has list records. */
  iKnow?: boolean | undefined;
  /** Probes on a live contact of a test agent (set-disposition id vs name, tags, ending a joined session). */
  agentProbe?: { agentId: string; contactId: string } | undefined;
}

/** What `doctor` found about the tenant and its API, probe by probe. */
export interface DoctorFindings {
  tenant: {
    tenantId: string;
    apiEndpoint: string;
    role: string | undefined;
    login: string;
    timeZone: string | undefined;
    /** Endpoints the role was refused (403): the permissions it lacks for the capabilities that use them. */
    refused: string[];
    /** Each configured way in, tried once: the access key alone, and the registered application when one is set. */
    logins: Array<{ mode: "access-key" | "application"; status: number; ok: boolean }>;
    /** The API area the tenant's discovery document names. */
    area: string | undefined;
    /** The time zone names the tenant lists (what a list upload may name; the adapter maps IANA zones to them). */
    zoneNames: string[];
    /**
     * The skill summary's freshness: how far its own `endDate` stood behind the end asked for,
     * in seconds; null when it was not behind (then live figures are as fresh as the read).
     */
    summaryBehindS: number | null;
  };
  facts: DoctorFact[];
  writes: DoctorWrite[];
  /** The tenant profile these findings make (docs/platforms.md), as a document to write. */
  profile: Record<string, unknown>;
}

/** The scratch skill's state before the write probes: what a restore puts back. */
export interface ScratchSnapshot {
  skillId: string;
  /** Each block the probes may write, whole, in the PUT model's types. */
  blocks: Array<[string, unknown]>;
  wasRunning: boolean;
}

export interface DoctorPort {
  /** Checks the scratch skill and reads what a restore needs (reads only). InputError when it may not be used. */
  scratchSnapshot(params: DoctorRunParams, signal?: AbortSignal): Promise<ScratchSnapshot | undefined>;
  /**
   * Runs every probe the params allow and returns the findings. The scratch probes run inside
   * `scratch.journaled` (the caller's journal row holds the snapshot until they are done), and
   * restore what they wrote in a `finally`.
   */
  run(
    params: DoctorRunParams,
    scratch: ScratchRun | undefined,
    signal?: AbortSignal,
  ): Promise<DoctorFindings>;
  /** Puts a scratch skill back as the snapshot says (a re-drive after a crash calls this). */
  restoreScratch(snapshot: ScratchSnapshot, signal?: AbortSignal): Promise<DoctorWrite[]>;
}

export interface ScratchRun {
  snapshot: ScratchSnapshot;
  journaled(probe: () => Promise<ScratchResult>): Promise<ScratchResult>;
}

/** What the scratch probes found and wrote (opaque to the caller beyond its writes). */
export interface ScratchResult {
  facts: DoctorFact[];
  writes: DoctorWrite[];
}
