import type { ComplianceEngine } from "../../compliance/engine.ts";
import { AuthError, CxoneError, NetworkError, RateLimitError, ServerError } from "../../core/http/errors.ts";
import type { PacingDecision } from "../../dialer/live-pacing/latest.ts";
import type { CxonePort } from "../../platform/port.ts";
import type { ListRecordStates, SkillState } from "../../platform/ports/diagnosis.ts";
import type { SkillLiveSnapshot } from "../../platform/ports/live.ts";
import { diagnose } from "./diagnose.ts";
import type { CampaignFacts, Diagnosis, RecordFacts } from "./facts.ts";
import { withPlatformHours } from "./platform-hours.ts";
import { complianceCallingHours } from "./windows.ts";

/**
 * `campaigns.diagnose` (issue 65): reads the campaign's facts through the port (its skill, its
 * list's records, its agents, the DNC groups scrubbing it), then diagnoses them. Read-only.
 * CXone unreachable or refusing (network, 5xx, 429, auth) is not thrown: it is the answer, cause
 * `cxone_unreachable` with CXone's own words; an unknown campaign stays a NotFoundError.
 */
export async function diagnoseCampaign(
  port: CxonePort,
  engine: ComplianceEngine,
  campaignId: string,
  atMs: number,
  pacing: PacingDecision | null,
  signal?: AbortSignal,
  planFedLists: ReadonlySet<string> = new Set(),
): Promise<Diagnosis> {
  let facts: CampaignFacts;
  let skill: SkillState | undefined;
  try {
    skill = await port.diagnosis.skill(campaignId, signal);
    facts = await factsOf(port, skill, pacing, signal);
    facts.planFed = skill.listIds.some((id) => planFedLists.has(id));
  } catch (error) {
    // A deadline or close() met mid-read is the call's answer, never "CXone unreachable".
    signal?.throwIfAborted();
    if (!unreachable(error)) throw error;
    facts = unreachableFacts(campaignId, skill, error as Error);
  }
  signal?.throwIfAborted();
  return diagnose(
    facts,
    withPlatformHours(complianceCallingHours(engine), skill ?? { zoneHours: undefined }),
    atMs,
  );
}

function unreachable(error: unknown): boolean {
  return (
    error instanceof NetworkError ||
    error instanceof ServerError ||
    error instanceof RateLimitError ||
    error instanceof AuthError ||
    (error instanceof CxoneError && error.status === undefined)
  );
}

function unreachableFacts(campaignId: string, skill: SkillState | undefined, error: Error): CampaignFacts {
  return {
    campaignId,
    timeZone: skill?.timeZone ?? "UTC",
    skill: { active: undefined, running: undefined, evidence: "" },
    agents: { loggedIn: undefined, available: undefined, evidence: "" },
    list: undefined,
    maxAttempts: undefined,
    loadNonFresh: undefined,
    abandon: undefined,
    pacing: undefined,
    pacePerHour: undefined,
    unreachable: { message: error.message },
  };
}

/** The facts and calling hours a diagnosis is made of, read through the port (the bench replays them). */
export async function readFacts(
  port: CxonePort,
  engine: ComplianceEngine,
  campaignId: string,
  pacing: PacingDecision | null,
  signal?: AbortSignal,
): Promise<{ facts: CampaignFacts; hours: ReturnType<typeof withPlatformHours> }> {
  const skill = await port.diagnosis.skill(campaignId, signal);
  const facts = await factsOf(port, skill, pacing, signal);
  return { facts, hours: withPlatformHours(complianceCallingHours(engine), skill) };
}

async function factsOf(
  port: CxonePort,
  skill: SkillState,
  pacing: PacingDecision | null,
  signal?: AbortSignal,
): Promise<CampaignFacts> {
  const [reading, lists, dnc] = await Promise.all([
    port.live.read([skill.campaignId], signal),
    Promise.all(skill.listIds.map((listId) => port.diagnosis.records(skill.campaignId, listId, signal))),
    scrubbedNumbers(port, skill.campaignId, signal),
  ]);
  const list = mergedLists(lists);
  const live = reading.snapshots.find((s) => s.campaignId === skill.campaignId);
  return {
    campaignId: skill.campaignId,
    timeZone: skill.timeZone,
    skill: { active: skill.active, running: skill.running, evidence: skill.evidence },
    agents: agentsOf(live),
    list: list && { listId: list.listId, records: recordsOf(list, dnc), evidence: list.evidence },
    maxAttempts: skill.maxAttempts,
    loadNonFresh: skill.loadNonFresh,
    schedule: skill.schedule,
    abandon: abandonOf(skill, live, pacing),
    pacing:
      pacing?.outside?.action === "handed-over"
        ? {
            stopped: true,
            evidence: `cxo serve's pacing loop handed over at ${pacing.outside.at} and stopped (${pacing.reason})`,
          }
        : undefined,
    pacePerHour: list?.dialsLastHour,
  };
}

/** Every list bound to the skill as one (the dialer draws from all of them); undefined when none is. */
function mergedLists(lists: ListRecordStates[]): ListRecordStates | undefined {
  if (lists.length <= 1) return lists[0];
  const paces = lists.map((l) => l.dialsLastHour);
  return {
    listId: lists.map((l) => l.listId).join(","),
    records: lists.flatMap((l) => l.records),
    dialsLastHour: paces.includes(undefined) ? undefined : paces.reduce((a = 0, b = 0) => a + b, 0),
    evidence: lists.map((l) => l.evidence).join("; "),
  };
}

function agentsOf(live: SkillLiveSnapshot | undefined): CampaignFacts["agents"] {
  if (!live)
    return {
      loggedIn: undefined,
      available: undefined,
      evidence: "the platform gave no live figures for the skill",
    };
  return {
    loggedIn: live.agentsLoggedIn,
    available: live.agentsAvailable,
    evidence: `${live.source} at ${live.observedAt}: agentsLoggedIn ${live.agentsLoggedIn ?? "not shown"}, agentsAvailable ${live.agentsAvailable ?? "not shown"}`,
  };
}

function abandonOf(
  skill: SkillState,
  live: SkillLiveSnapshot | undefined,
  pacing: PacingDecision | null,
): CampaignFacts["abandon"] {
  const rate = live?.today?.abandonRate;
  if (rate !== undefined && skill.abandonCap !== undefined)
    return {
      rate,
      cap: skill.abandonCap,
      evidence: `${live?.today?.source} abandonRate; skill abandonRateThreshold`,
    };
  if (pacing && pacing.liveAnswers > 0)
    return {
      rate: pacing.abandonment,
      cap: pacing.target,
      evidence: `cxo's pacing window (${pacing.window}) at ${pacing.at}`,
    };
  return undefined;
}

function recordsOf(list: ListRecordStates, dnc: Set<string>): RecordFacts[] {
  return list.records.map((r) => ({
    id: r.id,
    phone: r.phone,
    zone: r.zone,
    state: r.state,
    callAtMs: r.callAtMs,
    staleMinutes: r.staleMinutes,
    expiresAtMs: r.expiresAtMs,
    attempts: r.attempts,
    finalized: r.finalized,
    dnc: dnc.has(r.phone.replace(/\D/g, "").slice(-10)) || r.consent === false,
  }));
}

/** The ten digits of every number in an active CXone DNC group scrubbing the skill (none on the seed API). */
async function scrubbedNumbers(
  port: CxonePort,
  campaignId: string,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const numbers = new Set<string>();
  if (!port.dncGroups || port.support.unsupported("dncGroups")) return numbers;
  const groups = (await port.dncGroups.list(signal)).filter(
    (g) => g.active && g.scrubbedSkillIds.includes(campaignId),
  );
  for (const group of groups)
    for await (const record of port.dncGroups.records(group.groupId, signal))
      numbers.add(record.phone.replace(/\D/g, "").slice(-10));
  return numbers;
}
