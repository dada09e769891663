import { join } from "node:path";
import { startService } from "../service/index.ts";
import { type CxoneDemoEnvironment, startCxoneDemoEnvironment } from "./cxone/environment.ts";
import { skipped, tagLiveContactsStep, tuneSkillDialerStep, watchSkillStep } from "./cxone/steps.ts";
import type { DemoBase, DemoEnvironment } from "./environment.ts";
import { startDemoEnvironment } from "./environment.ts";
import { Narrator } from "./narrator.ts";
import { correctInteractionsStep } from "./steps/correct-interactions.ts";
import { createCampaignsStep } from "./steps/create-campaigns.ts";
import { exportOutcomesStep } from "./steps/export-outcomes.ts";
import { failoverStep } from "./steps/failover.ts";
import { planAttemptsStep } from "./steps/plan-attempts.ts";
import { segmentContactsStep } from "./steps/segment-contacts.ts";
import { tagCallsStep } from "./steps/tag-calls.ts";
import { tuneDialerStep } from "./steps/tune-dialer.ts";
import { verifyAuditStep } from "./steps/verify-audit.ts";

/**
 * `npm start`: a whole outbound day on the embedded default — emulator, local store, local
 * receivers — narrated step by step. Each step is its own file under steps/ and uses the same
 * SDK functions the `cxo` commands use; the narration prints the equivalent command.
 */
export interface DemoOptions {
  /** Smaller volumes, short waits, and no waiting for Ctrl-C at the end (used by npm test). */
  fast: boolean;
  outDir: string;
  /**
   * Aborted when the user asks to stop (Ctrl-C): the day stops within 2 seconds, between steps or
   * in one (then given {@link STEP_GRACE_MS} to end on its own), and in full mode the dashboard,
   * kept up after the last step, closes.
   */
  signal?: AbortSignal;
  out?: NodeJS.WritableStream;
  /** Which emulator the day runs on: the seed API's (default) or NICE's production API's. */
  platform?: "seed" | "cxone";
}

/** How the day ended: every step run, or stopped by the user at one of them. */
export interface DemoResult {
  stoppedAt?: { step: number; total: number; title: string };
}

/**
 * How long a step under way when Ctrl-C comes may take to end on its own before the day stops
 * without it. Each side effect a step makes is journaled before it is sent (DESIGN.md,
 * "Durability"), so a step left mid-way leaves pending rows the next run on the data dir
 * re-drives; the store and the emulator are then closed, all within the 2 seconds promised.
 */
export const STEP_GRACE_MS = 500;

/** What earlier steps hand to later ones. */
export interface DemoDay {
  primaryCampaignId: string;
  backupCampaignId: string;
  contactListId: string;
  /** The emulator's pre-seeded campaign that carries the call history (new campaigns have none yet). */
  historyCampaignId: string;
  dashboardUrl: string;
}

interface Step<E extends DemoBase = DemoEnvironment> {
  title: string;
  run(env: E, say: Narrator, day: DemoDay): Promise<void>;
}

const STEPS: Step[] = [
  { title: "Provision the predictive campaign and its backup", run: createCampaignsStep },
  { title: "Segment the contact list by the calling rules, now", run: segmentContactsStep },
  { title: "Validate, simulate and apply dialer settings", run: (env, say) => tuneDialerStep(env, say) },
  {
    title: "Tag a shift's calls from a file",
    run: (env, say, day) => tagCallsStep(env, say, day.historyCampaignId),
  },
  { title: "Correct interaction dispositions", run: (env, say) => correctInteractionsStep(env, say) },
  { title: "Fail over when the primary's success rate drops", run: failoverStep },
  { title: "Export the outcomes, report, and sync the CRM", run: exportOutcomesStep },
  { title: "Plan the next attempts at the hours each state answers", run: planAttemptsStep },
  {
    title: "Verify the audit chain; where everything is",
    run: (env, say, day) => verifyAuditStep(env, say, day.dashboardUrl, join(env.outDir, "calls.csv")),
  },
];

/** The same day on the production platform: the same titles, its own steps where it differs. */
const CXONE_STEPS: Step<CxoneDemoEnvironment>[] = [
  { title: "Provision the predictive campaign and its backup", run: createCampaignsStep },
  { title: "Segment the contact list by the calling rules, now", run: segmentContactsStep },
  { title: "Validate, simulate and apply dialer settings", run: tuneSkillDialerStep },
  { title: "Tag a shift's calls from a file", run: tagLiveContactsStep },
  {
    title: "Correct interaction dispositions",
    run: async (env, say) => void skipped(env, say, "interactions.replaceDispositions"),
  },
  { title: "Fail over when the primary goes bad (live figures, then success rate)", run: watchSkillStep },
  { title: "Export the outcomes, report, and sync the CRM", run: exportOutcomesStep },
  { title: "Plan the next attempts at the hours each state answers", run: planAttemptsStep },
  {
    title: "Verify the audit chain; where everything is",
    run: (env, say, day) => verifyAuditStep(env, say, day.dashboardUrl, join(env.outDir, "live-calls.csv")),
  },
];

/** The service on its usual port when free (a fixed URL is easier to open), else any port. */
async function startDashboard(env: DemoBase, port: number) {
  const start = (p: number) =>
    startService({ settings: env.settings, client: env.client, store: env.store, port: p });
  try {
    return await start(port);
  } catch (error) {
    if (port === 0 || (error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    return start(0);
  }
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  if (options.platform === "cxone") {
    const env = await startCxoneDemoEnvironment({ fast: options.fast, outDir: options.outDir });
    const day = { contactListId: env.contactListId, historyCampaignId: env.skillId };
    return runDay(options, env, CXONE_STEPS, day, "NICE CXone's production API (emulator)");
  }
  const env = await startDemoEnvironment({ fast: options.fast, outDir: options.outDir });
  const day = {
    contactListId: env.emulator.fixtures.contactLists[0]!.id,
    historyCampaignId: env.emulator.fixtures.campaigns[0]!.id,
  };
  return runDay(options, env, STEPS, day, "the embedded CXone emulator");
}

async function runDay<E extends DemoBase>(
  options: DemoOptions,
  env: E,
  steps: Step<E>[],
  start: Pick<DemoDay, "contactListId" | "historyCampaignId">,
  where: string,
): Promise<DemoResult> {
  const say = new Narrator(steps.length, options.out);
  const stopped = abortedPromise(options.signal);
  let service: Awaited<ReturnType<typeof startService>> | undefined;
  try {
    service = await startDashboard(env, options.fast ? 0 : 8080);
    say.title(`cxone-outbound — an outbound day on ${where}`);
    say.figures([
      ["dashboard", service.url],
      ["CXone (emulator)", env.emulator.url],
      ["data dir", env.dataDir],
      ["mode", options.fast ? "fast (CXO_DEMO_FAST=1)" : "full"],
    ]);
    const day: DemoDay = { primaryCampaignId: "", backupCampaignId: "", ...start, dashboardUrl: service.url };
    for (const step of steps) {
      if (options.signal?.aborted) return stopDay(say, step.title, env.dataDir, false);
      say.begin(step.title);
      const run = step.run(env, say, day);
      // A step abandoned on Ctrl-C may still fail later (its store is closed under it): expected.
      run.catch(() => undefined);
      if ((await Promise.race([run.then(() => "done" as const), stopped])) === "stopped") {
        const ended = await Promise.race([
          run.then(
            () => true,
            () => true,
          ),
          delay(STEP_GRACE_MS, false),
        ]);
        return stopDay(say, step.title, env.dataDir, !ended);
      }
    }
    if (!options.fast && options.signal) {
      say.title(`Dashboard still up at ${service.url} — press Ctrl-C to stop.`);
      await stopped;
    }
    return {};
  } finally {
    await service?.close();
    await env.close();
  }
}

/** Resolves "stopped" once `signal` is aborted (never, without one). */
function abortedPromise(signal: AbortSignal | undefined): Promise<"stopped"> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve("stopped");
    else signal.addEventListener("abort", () => resolve("stopped"), { once: true });
  });
}

const delay = <T>(ms: number, value: T) =>
  new Promise<T>((resolve) => setTimeout(() => resolve(value), ms).unref());

/** The narration's last line on Ctrl-C: where the day stopped and what is left of the step. */
function stopDay(say: Narrator, title: string, dataDir: string, inFlight: boolean): DemoResult {
  const { step, total } = say.position;
  const at = inFlight ? step : step + 1;
  say.title(
    inFlight
      ? `Stopped (Ctrl-C) in step ${at}/${total} "${title}": steps 1–${at - 1} done; what this step had journaled stays pending in ${dataDir} and is re-driven by the next command on that data dir. Emulator and dashboard stopped.`
      : `Stopped (Ctrl-C) before step ${at}/${total} "${title}": steps 1–${at - 1} done. Emulator and dashboard stopped.`,
  );
  say.mute();
  return { stoppedAt: { step: at, total, title } };
}
