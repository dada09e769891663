import type { DemoEnvironment } from "./environment.ts";
import { startDemoEnvironment } from "./environment.ts";
import { Narrator } from "./narrator.ts";
import { correctInteractionsStep } from "./steps/correct-interactions.ts";
import { tagCallsStep } from "./steps/tag-calls.ts";
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
}

interface Step {
  title: string;
  run(env: DemoEnvironment, say: Narrator, day: DemoDay): Promise<void>;
}

const STEPS: Step[] = [
  {
    title: "Tag a shift's calls from a file",
    run: (env, say, day) => tagCallsStep(env, say, day.primaryCampaignId),
  },
  { title: "Correct interaction dispositions", run: (env, say) => correctInteractionsStep(env, say) },
  { title: "Verify the audit chain", run: (env, say) => verifyAuditStep(env, say) },
];

export async function runDemo(options: DemoOptions): Promise<void> {
  const say = new Narrator(STEPS.length, options.out);
  const env = await startDemoEnvironment({ fast: options.fast, outDir: options.outDir });
  try {
    say.title("cxone-outbound — an outbound day on the embedded CXone emulator");
    say.figures([
      ["CXone (emulator)", env.emulator.url],
      ["data dir", env.dataDir],
      ["mode", options.fast ? "fast (CXO_DEMO_FAST=1)" : "full"],
    ]);
    const day: DemoDay = {
      primaryCampaignId: env.emulator.fixtures.campaigns[0]!.id,
      backupCampaignId: env.emulator.fixtures.campaigns[1]!.id,
    };
    for (const step of STEPS) {
      say.begin(step.title);
      await step.run(env, say, day);
    }
  } finally {
    await env.close();
  }
}
