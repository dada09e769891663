import type { CauseCode } from "../campaigns/diagnose/causes.ts";
import { summaryOf } from "../campaigns/diagnose/diagnose.ts";
import type { Cause, Diagnosis } from "../campaigns/diagnose/facts.ts";
import { applicationHostOf } from "../sdk/application-host.ts";
import type { CxoneBaseClient } from "../sdk/client-types.ts";
import type { CampaignState } from "./types.ts";

/**
 * What the autopilot does itself about a cause of an idle campaign it runs: a plan's records
 * dialled, expired or done are planned again and pushed by its next runs (morning, re-plan,
 * retry), a changed skill is put back by its watch. Advice to re-plan or push by hand is wrong
 * for such a campaign: a person would race the autopilot. Every other cause (agents, the skill
 * not active or not started, CXone unreachable, the abandonment cap, DNC) needs a person.
 */
const AUTOPILOT_DOES: Readonly<Partial<Record<CauseCode, string>>> = {
  waiting_for_call_request_time: "nothing to do: the autopilot pushed these for their planned hours",
  call_request_stale: "nothing to do: the autopilot plans these again and pushes them at its next runs",
  records_expired: "nothing to do: the autopilot plans these again at its next runs (or the next morning)",
  max_attempts_reached:
    "nothing to do: the autopilot plans the next attempts at its next runs (or the next morning)",
  non_fresh_excluded:
    "nothing to do: the autopilot plans the next attempts at its next runs (or the next morning)",
  list_exhausted: "nothing to do: the autopilot's next morning plans and pushes the next day's records",
  skill_drift: "the autopilot's watch puts the skill back or takes the push's records out at its next run",
};

/**
 * `cxo why`'s answer from `client`'s diagnosis: the autopilot's state of the campaign read from
 * the store the client hosts it in (its application host, as the autopilot itself reads it).
 */
export async function whyOfClient(client: CxoneBaseClient, diagnosis: Diagnosis): Promise<Diagnosis> {
  const { loadState } = await import("./state.ts");
  const state = await loadState(await applicationHostOf(client).store(), diagnosis.campaignId);
  return whyForAutopilot(diagnosis, state, Date.parse(diagnosis.at));
}

/**
 * `cxo why` on a campaign the autopilot runs: what it cannot fix first — a stop only
 * `cxo autopilot resume` lifts, then the causes a person must clear — and what it does itself
 * after, said as such. A campaign the autopilot does not run is returned as it is.
 */
export function whyForAutopilot(
  diagnosis: Diagnosis,
  state: CampaignState | undefined,
  atMs: number,
): Diagnosis {
  if (state === undefined || (state.lastStep === undefined && state.day === undefined)) return diagnosis;
  const person = diagnosis.causes.filter((c) => AUTOPILOT_DOES[c.code] === undefined);
  const itself = diagnosis.causes
    .filter((c) => AUTOPILOT_DOES[c.code] !== undefined)
    .map((c): Cause => ({ ...c, fix: AUTOPILOT_DOES[c.code] as string }));
  const causes = [...person, ...itself];
  const stopped = state.stopped;
  if (stopped !== undefined)
    return {
      ...diagnosis,
      causes,
      summary: `Not dialing: the autopilot stopped this campaign at ${stopped.at} (${stopped.reason}) — find the cause, then run cxo autopilot resume --campaign ${diagnosis.campaignId}.`,
    };
  if (diagnosis.dialing) return { ...diagnosis, causes };
  if (person.length > 0)
    return {
      ...diagnosis,
      causes,
      summary: summaryOf(person, diagnosis.dialableNow, diagnosis.runsDryAt, atMs),
    };
  // Only what the autopilot does itself holds the campaign: say so, and what comes next.
  const top = itself[0];
  return {
    ...diagnosis,
    causes,
    summary: `Not dialing, nothing for a person to do: ${top ? top.fix.replace(/^nothing to do: /, "") : "the autopilot runs the day"}.`,
  };
}
