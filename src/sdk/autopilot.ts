import type { CampaignRun } from "../autopilot/run.ts";
import type { AutopilotCampaignStatus } from "../autopilot/status.ts";
import type { DayReport } from "../autopilot/types.ts";
import type { CxoneClient } from "../client.ts";
import { autopilotSchema } from "../core/config/autopilot-schema.ts";
import { InputError } from "../core/input-error.ts";
import { runCall } from "./call.ts";
import { type ClientRuntime, idOf, type RequestOptions } from "./runtime.ts";

/**
 * SDK group `autopilot`: the outbound day run unattended for the campaigns of a
 * job — what `cxo serve` runs every few minutes and `cxo autopilot run --once` from cron. The job
 * is the `autopilot:` section of `cxo.config.yaml` (docs/autopilot.md), checked before anything is
 * sent; its `timeZone` is the business unit's, in which `morning` and `evening` are read.
 */
export interface AutopilotCampaignInput {
  /** The campaign (production: the Personal Connection skill id) of this business unit. */
  campaign: string;
  kind: "sales" | "collections";
  /** `HH:MM` in the business unit's zone (default 07:00): plan and push. */
  morning?: string;
  /** `HH:MM` (default 21:00): the day report; nothing more pushed that day. */
  evening?: string;
  /** The list file (CSV or NDJSON, as `cxo strategy plan --list` reads). */
  list: string;
  /** The model file; re-learned in place every `learnEveryDays` (0: never, the default). */
  model: string;
  /** An outcomes export counted as the calls already made, or `campaign` (read from CXone). */
  history?: string;
  learnEveryDays?: number;
  learnDays?: number;
  /** Set the skill's retry settings to what the plan needs (default true). */
  fitSkill?: boolean;
  /** Held records planned again once their siblings' outcomes are known (default), or the next morning. */
  replanHeld?: "sibling-outcome" | "next-morning";
  /** An unanswered record planned again later the same day, this many times (0–5, default 1). */
  retryUnanswered?: number;
  /** Days an account an agent talked to rests (0–30, default 7). */
  restAfterConversationDays?: number;
  attemptsPerRecord?: number;
  capacityPerHour?: number;
}

/** The autopilot's job: the `autopilot:` section of `cxo.config.yaml` (docs/autopilot.md). */
export interface AutopilotJobInput {
  campaigns: AutopilotCampaignInput[];
  /** The business unit's zone (IANA) in which `morning` and `evening` are read. Required. */
  timeZone?: string;
  /** A directory the day reports are also written to, one JSON file per campaign and day. */
  reportDir?: string;
  /** Minutes between runs (what `cxo serve` waits; the status's next run). Default 5. */
  intervalMinutes?: number;
  /** A passing failure lasting longer becomes an attention item (minutes of the clock, default 30). */
  escalateAfterMinutes?: number;
  /** The business unit a top-level section belongs to, when several are configured. */
  tenant?: string;
}

export interface AutopilotRunResult {
  at: string;
  honour: { ok: boolean; text: string };
  campaigns: CampaignRun[];
}

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
}

/** The job checked: unknown keys, a bad time, an unknown kind or zone are InputErrors naming the field. */
export function checkAutopilotJob(params: unknown) {
  const { campaign: _campaign, ...rest } = (params ?? {}) as Record<string, unknown>;
  const result = autopilotSchema.safeParse(rest);
  if (!result.success)
    throw new InputError(
      result.error.issues.map((issue) => ({
        field: ["autopilot", ...issue.path.map(String)].join("."),
        rule: issue.message,
      })),
    );
  const settings = result.data;
  const zone = settings.timeZone;
  if (zone === undefined)
    throw new InputError({
      field: "autopilot.timeZone",
      rule: "is required (the business unit's zone, e.g. America/New_York)",
    });
  if (!isZone(zone))
    throw new InputError({
      field: "autopilot.timeZone",
      rule: "must be an IANA time zone such as America/New_York",
    });
  const seen = new Set<string>();
  for (const [index, job] of settings.campaigns.entries()) {
    if (seen.has(job.campaign))
      throw new InputError({
        field: `autopilot.campaigns.${index}.campaign`,
        rule: `campaign ${job.campaign} is named twice`,
      });
    seen.add(job.campaign);
  }
  return {
    campaigns: settings.campaigns,
    zone,
    reportDir: settings.reportDir,
    intervalMinutes: settings.intervalMinutes,
    escalateAfterMinutes: settings.escalateAfterMinutes,
  };
}

function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function autopilotGroup(runtime: ClientRuntime, client: () => CxoneClient): AutopilotGroup {
  const named = (params: { campaign?: unknown }, job: ReturnType<typeof checkAutopilotJob>) => {
    const campaign = idOf(params.campaign, "campaign");
    if (!job.campaigns.some((c) => c.campaign === campaign))
      throw new InputError({
        field: "campaign",
        rule: `campaign ${campaign} is not in the autopilot's campaigns`,
      });
    return campaign;
  };
  return {
    run: (params, options) =>
      runCall(
        runtime,
        options,
        async (signal) => {
          const job = checkAutopilotJob(params);
          const only = params?.campaign === undefined ? undefined : named(params, job);
          const { runAutopilot } = await import("../autopilot/run.ts");
          const runtimeStore = await runtime.store();
          const dncGroups =
            runtime.port.dncGroups !== undefined && !runtime.port.support.unsupported("dncGroups");
          // Every SDK call of the run ends with the run's call (its signal, its deadline): a
          // stopped cxo serve abandons the step in flight, not after CXone answers (issue 101 §5).
          const run = await runAutopilot(client(), runtimeStore, job, {
            nowMs: Date.now(),
            campaign: only,
            signal,
            ...(dncGroups ? { dncCopy: { maxAgeMinutes: runtime.cxoneDncMaxAgeMinutes } } : {}),
          });
          return {
            at: run.at,
            honour: { ok: run.honour.ok, text: run.honour.text },
            campaigns: run.campaigns,
          };
        },
        { scoped: true },
      ),
    status: (params, options) =>
      runCall(runtime, options, async () => {
        const job = checkAutopilotJob(params);
        const { autopilotStatus } = await import("../autopilot/status.ts");
        return autopilotStatus(await runtime.store(), job, Date.now());
      }),
    resume: (params, options) =>
      runCall(runtime, options, async () => {
        const job = checkAutopilotJob(params);
        const campaign = named(params, job);
        const { resumeCampaign, autopilotStatus } = await import("../autopilot/status.ts");
        const store = await runtime.store();
        await resumeCampaign(client(), store, campaign, Date.now(), job.zone);
        const all = await autopilotStatus(store, job, Date.now());
        return all.find((s) => s.campaign === campaign) as AutopilotCampaignStatus;
      }),
    reports: (params, options) =>
      runCall(runtime, options, async () => {
        const campaign = params?.campaign === undefined ? undefined : idOf(params.campaign, "campaign");
        const { dayReports } = await import("../autopilot/state.ts");
        return dayReports(await runtime.store(), campaign);
      }),
  };
}
