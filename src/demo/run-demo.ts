import { startService } from "../service/index.ts";
import type { DemoEnvironment } from "./environment.ts";
import { startDemoEnvironment } from "./environment.ts";
import { Narrator } from "./narrator.ts";
import { correctInteractionsStep } from "./steps/correct-interactions.ts";
import { createCampaignsStep } from "./steps/create-campaigns.ts";
import { exportOutcomesStep } from "./steps/export-outcomes.ts";
import { failoverStep } from "./steps/failover.ts";
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
  /** Resolves when the user asks to stop (Ctrl-C); the dashboard stays up until then. */
  untilStopped?: Promise<void>;
  out?: NodeJS.WritableStream;
}

/** What earlier steps hand to later ones. */
export interface DemoDay {
  primaryCampaignId: string;
  backupCampaignId: string;
  contactListId: string;
  /** The emulator's pre-seeded campaign that carries the call history (new campaigns have none yet). */
  historyCampaignId: string;
  dashboardUrl: string;
}

interface Step {
  title: string;
  run(env: DemoEnvironment, say: Narrator, day: DemoDay): Promise<void>;
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
  {
    title: "Verify the audit chain; where everything is",
    run: (env, say, day) => verifyAuditStep(env, say, day.dashboardUrl),
  },
];

/** The service on its usual port when free (a fixed URL is easier to open), else any port. */
async function startDashboard(env: DemoEnvironment, port: number) {
  const start = (p: number) =>
    startService({ settings: env.settings, client: env.client, store: env.store, port: p });
  try {
    return await start(port);
  } catch (error) {
    if (port === 0 || (error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    return start(0);
  }
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const say = new Narrator(STEPS.length, options.out);
  const env = await startDemoEnvironment({ fast: options.fast, outDir: options.outDir });
  let service: Awaited<ReturnType<typeof startService>> | undefined;
  try {
    service = await startDashboard(env, options.fast ? 0 : 8080);
    say.title("cxone-outbound — an outbound day on the embedded CXone emulator");
    say.figures([
      ["dashboard", service.url],
      ["CXone (emulator)", env.emulator.url],
      ["data dir", env.dataDir],
      ["mode", options.fast ? "fast (CXO_DEMO_FAST=1)" : "full"],
    ]);
    const day: DemoDay = {
      primaryCampaignId: "",
      backupCampaignId: "",
      contactListId: "",
      historyCampaignId: env.emulator.fixtures.campaigns[0]!.id,
      dashboardUrl: service.url,
    };
    for (const step of STEPS) {
      say.begin(step.title);
      await step.run(env, say, day);
    }
    if (!options.fast && options.untilStopped) {
      say.title(`Dashboard still up at ${service.url} — press Ctrl-C to stop.`);
      await options.untilStopped;
    }
  } finally {
    await service?.close();
    await env.close();
  }
}
