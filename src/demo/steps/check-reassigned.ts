import { join } from "node:path";
import { checkReassigned } from "../../compliance/rnd/check-numbers.ts";
import { startRndEmulator } from "../../emulator/rnd/index.ts";
import { connectRnd } from "../../platform/rnd/client.ts";
import type { Contact } from "../../platform/types.ts";
import { writeDemoFile } from "../demo-file.ts";
import type { DemoBase } from "../environment.ts";
import type { Narrator } from "../narrator.ts";

/**
 * Part of the compliance step (issue 79 §3): the list's numbers with the dates their consent was
 * given, asked of the FCC's Reassigned Numbers Database — the third local emulator, started for
 * this step — in queries of up to 1,000, each answer kept as evidence. Two numbers were
 * permanently disconnected after their consent (set in the emulator's database): refused.
 */
export async function checkReassignedStep(
  env: DemoBase,
  say: Narrator,
  sample: readonly Contact[],
): Promise<void> {
  const rnd = await startRndEmulator({ port: 0, seed: 42 });
  const port = connectRnd(
    { url: rnd.url, clientId: rnd.fixtures.clientId, clientSecret: rnd.fixtures.clientSecret },
    { http: env.settings.http },
  );
  try {
    // A consent date per number, as a CRM keeps it (a day in 2024 or 2025).
    const questions = sample.map((c, i) => ({
      phone: c.phone,
      consentDate: `${2024 + (i % 2)}-${String((i % 12) + 1).padStart(2, "0")}-15`,
    }));
    const reassigned = questions
      .slice(0, 2)
      .map((q) => ({ tn: q.phone.slice(2), disconnectedOn: "2026-02-01" }));
    await fetch(`${rnd.url}/_emulator/disconnects`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ numbers: reassigned }),
    });
    const file = join(env.reportsDir, "consent-dates.csv");
    await writeDemoFile(
      file,
      `phone,consentDate\n${questions.map((q) => `${q.phone},${q.consentDate}`).join("\n")}\n`,
    );
    say.command(
      "cxo compliance rnd check --file consent-dates.csv   # the Reassigned Numbers Database (local emulator)",
    );
    const result = await checkReassigned(env.store.db, port, questions, {
      batchSize: 1000,
      maxAgeDays: 30,
      noData: "allow",
      actor: "demo",
    });
    say.ok(
      `${result.numbers} numbers asked in ${result.queries} query (database of ${result.dataAsOf}): ${result.refused} permanently disconnected since their consent date, refused (rnd_reassigned); ${result.notDisconnected} with the safe harbor`,
    );
    say.info("every answer is kept as evidence: cxo compliance rnd evidence --phone NUMBER");
  } finally {
    await port.close();
    await rnd.close();
  }
}
