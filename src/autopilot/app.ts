import type { Diagnosis } from "../campaigns/diagnose/facts.ts";
import type { DiagnoseParams } from "../campaigns/diagnose/params.ts";
import { clockNowMs } from "../core/clock/now.ts";
import { InputError } from "../core/input-error.ts";
import { lazyModule } from "../core/lazy-module.ts";
import { type ApplicationHost, applicationHostOf } from "../sdk/application-host.ts";
import type { CxoneBaseClient } from "../sdk/client-types.ts";
import { idOf, optionsOf, type RequestOptions } from "../sdk/runtime.ts";
import type { AutopilotJobInput } from "./job-input.ts";
import type { AutopilotCampaignStatus } from "./status.ts";
import type { AutopilotJob, CampaignRun, DayReport } from "./types.ts";

/**
 * The autopilot is an application over the SDK, as Octokit's `app` sits over `@octokit/core`: it
 * takes a client (`createAutopilot(client, job)`) and calls its public groups, each call with the
 * run's signal and deadline; the SDK imports nothing of it. `client.autopilot` is the same
 * application, attached by the layer that builds the full client (client.ts, the CLI).
 */
declare module "../sdk/client-types.ts" {
  interface ClientApplications {
    /** The outbound day run unattended (docs/autopilot.md): learn, plan, push, honour, watch, report. */
    readonly autopilot: AutopilotGroup;
  }
}

export interface AutopilotRunResult {
  at: string;
  honour: { ok: boolean; text: string };
  campaigns: CampaignRun[];
}

/** The autopilot over one client and one job (`createAutopilot`). */
export interface Autopilot {
  /** Does what is due now for each campaign of the job (or `campaign` alone). */
  run(params?: { campaign?: string }, options?: RequestOptions): Promise<AutopilotRunResult>;
  /** Each campaign's last step, its next, the day so far and its last day report. */
  status(options?: RequestOptions): Promise<AutopilotCampaignStatus[]>;
  /** Lets a stopped campaign run again (audited) and resumes its skill in CXone. */
  resume(params: { campaign: string }, options?: RequestOptions): Promise<AutopilotCampaignStatus>;
  /** The day reports kept in the store, newest first. */
  reports(params?: { campaign?: string }, options?: RequestOptions): Promise<DayReport[]>;
}

/** SDK group `autopilot` (`client.autopilot`): the autopilot with the job given per call. */
export interface AutopilotGroup {
  /** Does what is due now for each campaign of the job (or `campaign` alone). */
  run(
    params: AutopilotJobInput & { campaign?: string },
    options?: RequestOptions,
  ): Promise<AutopilotRunResult>;
  /** Each campaign's last step, its next, the day so far and its last day report. */
  status(params: AutopilotJobInput, options?: RequestOptions): Promise<AutopilotCampaignStatus[]>;
  /** Lets a stopped campaign run again (audited) and resumes its skill in CXone. */
  resume(
    params: AutopilotJobInput & { campaign: string },
    options?: RequestOptions,
  ): Promise<AutopilotCampaignStatus>;
  /** The day reports kept in the store, newest first. */
  reports(params?: { campaign?: string }, options?: RequestOptions): Promise<DayReport[]>;
  /**
   * Why a campaign is not dialing (`campaigns.diagnose`), as the autopilot that runs it would say:
   * a stop only `resume` lifts first, then the causes a person must clear, then those its next
   * runs clear themselves (their fix says so, not "re-plan by hand"). A campaign it does not run
   * is answered as `campaigns.diagnose` answers. What `cxo why` prints.
   */
  why(params: DiagnoseParams, options?: RequestOptions): Promise<Diagnosis>;
}

/**
 * The autopilot for `job` (the `autopilot:` section of `cxo.config.yaml`, docs/autopilot.md) over
 * a client made by `createClient`. The job is checked at each call, before anything is sent (an
 * InputError naming the field); every SDK call a run makes carries the run's signal and deadline.
 *
 * ```ts
 * const autopilot = createAutopilot(cxo, {
 *   timeZone: "America/New_York",
 *   campaigns: [{ campaign: "301", kind: "sales", list: "list.csv", model: "model.json" }],
 * });
 * await autopilot.run({}, { deadlineMs: 120_000 });
 * ```
 */
/**
 * Attempts per request of a run's calls, unless the caller gives its own `maxAttempts`. Every run
 * does its work again (honour, watch, push, adopting what a stopped run left), so a CXone that
 * fails for a while is tried again by the next run; six attempts with their backoff on each
 * request held each run of a 12-hour DNC outage 7–40 s (the honour step's writes, the push's DNC
 * search and group reads), and every step after them waited.
 */
const RUN_ATTEMPTS = 2;

/**
 * The job's check (its zod schema), loaded at a call's first use: every client carries this
 * group, and one built for a compliance check, once a number, never calls it.
 */
const loadJobCheck = lazyModule(() => import("./job-input.ts"));
async function checkedJob(job: unknown): Promise<AutopilotJob> {
  return (await loadJobCheck()).checkAutopilotJob(job);
}

export function createAutopilot(client: CxoneBaseClient, job: AutopilotJobInput): Autopilot {
  const host = hostIn(client);
  const named = (campaign: unknown, checked: AutopilotJob) => {
    const id = idOf(campaign, "campaign");
    if (!checked.campaigns.some((c) => c.campaign === id))
      throw new InputError({ field: "campaign", rule: `campaign ${id} is not in the autopilot's campaigns` });
    return id;
  };
  return {
    run: async (params, options) => {
      // Checked before the run's own default is added: a string, null or an unknown key (a
      // `timeout`) is an InputError naming it, nothing sent, not replaced by the default.
      const given = optionsOf(options);
      return host.call(
        { ...given, maxAttempts: given.maxAttempts ?? RUN_ATTEMPTS },
        async (signal) => {
          const checked = await checkedJob(job);
          const only = params?.campaign === undefined ? undefined : named(params.campaign, checked);
          const { runAutopilot } = await import("./run.ts");
          const rule = host.dncCopyRule();
          const dncCopy = rule && {
            ...rule,
            age: (nowMs: number) => host.dncCopyAge(nowMs),
            standIn: (skill: string) => host.dncCopyStandIn(skill),
          };
          const run = await runAutopilot(client, await host.store(), checked, {
            nowMs: clockNowMs(),
            campaign: only,
            signal,
            ...(dncCopy ? { dncCopy } : {}),
          });
          return {
            at: run.at,
            honour: { ok: run.honour.ok, text: run.honour.text },
            campaigns: run.campaigns,
          };
        },
        { scoped: true },
      );
    },
    status: (options) =>
      host.call(options, async () => {
        const checked = await checkedJob(job);
        const { autopilotStatus } = await import("./status.ts");
        return autopilotStatus(
          await host.store(),
          checked,
          clockNowMs(),
          await host.dispositionsReadUnfinished(),
        );
      }),
    resume: (params, options) =>
      host.call(options, async (signal) => {
        const checked = await checkedJob(job);
        const campaign = named(params?.campaign, checked);
        const { resumeCampaign, autopilotStatus } = await import("./status.ts");
        const store = await host.store();
        await resumeCampaign(client, store, campaign, clockNowMs(), checked.zone, signal);
        const all = await autopilotStatus(
          store,
          checked,
          clockNowMs(),
          await host.dispositionsReadUnfinished(),
        );
        return all.find((s) => s.campaign === campaign) as AutopilotCampaignStatus;
      }),
    reports: (params, options) =>
      host.call(options, async () => {
        const campaign = params?.campaign === undefined ? undefined : idOf(params.campaign, "campaign");
        const { dayReports } = await import("./state.ts");
        return dayReports(await host.store(), campaign);
      }),
  };
}

/** The host of a client made by `createClient`; anything else is bad input (an SDK error). */
function hostIn(client: CxoneBaseClient): ApplicationHost {
  try {
    return applicationHostOf(client);
  } catch {
    throw new InputError({ field: "client", rule: "must be a client made by createClient" });
  }
}

/** `client.autopilot`: the job given with each call (what the SDK offered before `createAutopilot`). */
export function autopilotGroupOf(client: CxoneBaseClient): AutopilotGroup {
  return {
    run: (params, options) => {
      const { campaign, ...job } = (params ?? {}) as AutopilotJobInput & { campaign?: string };
      return createAutopilot(client, job).run(campaign === undefined ? {} : { campaign }, options);
    },
    status: (params, options) => createAutopilot(client, params).status(options),
    resume: (params, options) => {
      const { campaign, ...job } = (params ?? {}) as AutopilotJobInput & { campaign: string };
      return createAutopilot(client, job).resume({ campaign }, options);
    },
    reports: (params, options) => createAutopilot(client, {}).reports(params, options),
    // One call: the diagnosis and the autopilot's reading of it under one signal and deadline.
    why: async (params, options) =>
      hostIn(client).call(
        options,
        async (signal) => {
          const diagnosis = await client.campaigns.diagnose(params, signal ? { signal } : {});
          signal?.throwIfAborted();
          const { whyOfClient } = await import("./why.ts");
          return whyOfClient(client, diagnosis);
        },
        { scoped: true },
      ),
  };
}
