import type { CxoneDncFreshness } from "../compliance/cxone-dnc-freshness.ts";
import type { DispositionReadProgress } from "../consent/cxone-dispositions.ts";
import type { DncCopyStandIn } from "../consent/dnc-copy-stand-in.ts";
import type { Store } from "../core/store/index.ts";
import { type CallKind, runCall } from "./call.ts";
import type { CxoneBaseClient } from "./client-types.ts";
import { runtimeOf } from "./internals.ts";
import type { RequestOptions } from "./runtime.ts";

/**
 * What an application over the client (the autopilot: `createAutopilot(client, job)`) is given of
 * the client it runs on, and all it is given: the store it keeps its own state in, the SDK's way
 * of running a call (options checked, the caller's signal and deadline joined with `close()`, on
 * the client's clock), and the answers to the platform's questions it needs — asked here, inside
 * the SDK, so no application reads the port or the client's runtime. As an Octokit plugin is
 * handed `octokit` and keeps its state itself, never opening `@octokit/core`.
 */
export interface ApplicationHost {
  /** The client's store (opened on first use). */
  store(): Promise<Store>;
  /** Runs one of the application's calls as the SDK runs its own methods. */
  call<T>(
    options: RequestOptions | null | undefined,
    work: (signal: AbortSignal | undefined) => Promise<T> | T,
    kind?: CallKind,
  ): Promise<T>;
  /**
   * The freshness rule of the client's copy of CXone's DNC groups, when its platform has groups
   * (`consent.cxoneDncMaxAgeMinutes`); undefined when it has none.
   */
  dncCopyRule(): { maxAgeMinutes: number } | undefined;
  /** How old the client's copy of CXone's DNC groups is at `nowMs`, against that rule. */
  dncCopyAge(nowMs: number): Promise<Omit<CxoneDncFreshness, "source">>;
  /**
   * What stands in for CXone's DNC answer for `skill` while the copy is past its rule: the last
   * copy's active groups that scrub the skill (consent/dnc-copy-stand-in.ts); undefined when none
   * does, or there is no copy. Consent's tables, read here so the application never opens them.
   */
  dncCopyStandIn(skill: string): Promise<DncCopyStandIn | undefined>;
  /**
   * The read of CXone's completed contacts that has not finished (under way, or stopped half way),
   * with where it stands and when its last page was kept (epoch ms); undefined when the last read
   * finished (consent/cxone-dispositions.ts).
   */
  dispositionsReadUnfinished(): Promise<(DispositionReadProgress & { at: number }) | undefined>;
}

/** The host of a client made by `createClient` (TypeError for anything else). */
export function applicationHostOf(client: CxoneBaseClient): ApplicationHost {
  const runtime = runtimeOf(client);
  return {
    store: () => runtime.store(),
    call: (options, work, kind) => runCall(runtime, options, (signal) => work(signal), kind),
    dncCopyRule: () =>
      runtime.port.dncGroups !== undefined && !runtime.port.support.unsupported("dncGroups")
        ? { maxAgeMinutes: runtime.cxoneDncMaxAgeMinutes }
        : undefined,
    dncCopyAge: async (nowMs) => {
      const [{ cxoneDncCopyAge }, store] = await Promise.all([
        import("../compliance/cxone-dnc-freshness.ts"),
        runtime.store(),
      ]);
      return cxoneDncCopyAge(store, nowMs, runtime.cxoneDncMaxAgeMinutes);
    },
    dncCopyStandIn: async (skill) => {
      const [{ dncCopyStandIn }, store] = await Promise.all([
        import("../consent/dnc-copy-stand-in.ts"),
        runtime.store(),
      ]);
      return dncCopyStandIn(store.db, skill);
    },
    dispositionsReadUnfinished: async () => {
      const [{ unfinishedRead }, store] = await Promise.all([
        import("../consent/cxone-dispositions.ts"),
        runtime.store(),
      ]);
      return unfinishedRead(store);
    },
  };
}
