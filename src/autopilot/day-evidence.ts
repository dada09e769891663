import path from "node:path";
import type { AutopilotCampaign } from "../core/config/autopilot-schema.ts";
import { ensureRealDirectory } from "../core/safe-write.ts";
import type { CxoneBaseClient as CxoneClient } from "../sdk/client-types.ts";
import type { CampaignDay, DayEvidence } from "./types.ts";

/**
 * At the day's end, the evidence of every dial CXone made on the day's lists (issue 92 §1: what
 * a demand letter asks, answered from the attempts CXone made, not from what cxo planned): one
 * `cxo compliance evidence --list` file per list beside the day report, each record replayable
 * with `--verify`. The records were pushed from plans judged with their consent (a list row
 * without it is never planned), so an attempt with no grant in the ledger is taken as made with
 * consent (`consent.basis: declared`). A list whose evidence cannot be made is named in
 * `errors`; the day report is written all the same.
 */
export async function dayEvidence(
  client: CxoneClient,
  reportDir: string,
  campaign: AutopilotCampaign,
  day: CampaignDay,
  signal?: AbortSignal,
): Promise<DayEvidence> {
  ensureRealDirectory(reportDir, { field: "autopilot.reportDir" });
  const evidence: DayEvidence = { attempts: 0, notAllowed: 0, reasons: {}, files: [] };
  const safe = campaign.campaign.replace(/[^A-Za-z0-9_-]/g, "_");
  // The lists side by side (the client's rate groups bound how many reads are in flight), folded
  // in the day's order so the files and errors are listed as the lists were pushed.
  const made = await Promise.all(
    day.lists.map(async (listId) => {
      const out = path.join(reportDir, `${day.date}-${safe}-list-${listId}-evidence.ndjson`);
      try {
        return {
          listId,
          out,
          made: await client.compliance.evidence({ listId, out, consent: true }, { signal }),
        };
      } catch (error) {
        return { listId, out, error: error as Error };
      }
    }),
  );
  for (const one of made) {
    if (!one.made) {
      evidence.errors = [...(evidence.errors ?? []), `list ${one.listId}: ${one.error?.message}`];
      continue;
    }
    evidence.attempts += one.made.records;
    evidence.notAllowed += one.made.notAllowed;
    for (const [code, n] of Object.entries(one.made.reasons))
      evidence.reasons[code] = (evidence.reasons[code] ?? 0) + n;
    evidence.files.push(one.out);
  }
  return evidence;
}
