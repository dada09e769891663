import { calledNumberOf } from "../../consent/called-number.ts";
import { agentIdOf, flag, text } from "../../core/call-agent.ts";
import type { CanonicalRecord } from "../../outcomes/record-format.ts";
import { callDetailsOf, firstField, sentCallerIdOf } from "../../platform/call-details.ts";
import type { ListAttempt } from "../../platform/ports/lists.ts";
import type { OutboundCall } from "../../platform/types.ts";
import type { CallFacts } from "./record.ts";

/**
 * What each source says the call was (issue 102 §3; record.ts CallFacts): an outcomes file's
 * record (its own fields, and `extra`: the platform's fields cxo does not model, or columns of the
 * user's own, read by platform/call-details.ts), a completed contact (the details its adapter
 * modelled: the caller id, agent, abandonment, how it ended, the duration, the disposition), a
 * list's dial (its outcome, disposition and agent). Only what the source says: nothing is guessed, and a fact it does not carry is
 * absent. Keys in canonical (sorted) order, as the record is written.
 */
type Fields = Record<string, unknown>;

const ATTESTATION = /^[ABC]$/;

function factsOf(f: {
  abandoned?: unknown;
  agent?: unknown;
  aiAgent?: unknown;
  attestation?: unknown;
  callerId?: unknown;
  callerName?: unknown;
  dispositionCode?: unknown;
  dispositionName?: unknown;
  durationSeconds?: unknown;
  outcome?: unknown;
  recording?: unknown;
  safeHarborMessage?: unknown;
}): CallFacts | undefined {
  const code = text(f.dispositionCode);
  const name = text(f.dispositionName);
  const attestation = text(f.attestation)?.toUpperCase();
  const callerId = typeof f.callerId === "string" ? calledNumberOf(f.callerId) : undefined;
  const duration =
    typeof f.durationSeconds === "number" ? f.durationSeconds : Number(text(f.durationSeconds));
  const facts: CallFacts = {
    abandoned: flag(f.abandoned),
    agent: agentIdOf(f.agent),
    aiAgent: text(f.aiAgent),
    attestation: attestation !== undefined && ATTESTATION.test(attestation) ? attestation : undefined,
    callerId,
    callerName: text(f.callerName),
    disposition:
      code === undefined ? undefined : name === undefined || name === code ? { code } : { code, name },
    durationSeconds: Number.isFinite(duration) && duration >= 0 ? duration : undefined,
    outcome: text(f.outcome),
    recording: text(f.recording),
    safeHarborMessage: flag(f.safeHarborMessage),
  };
  let any = false;
  for (const key of Object.keys(facts) as Array<keyof CallFacts>)
    if (facts[key] === undefined) delete facts[key];
    else any = true;
  return any ? facts : undefined;
}

/** An outcomes file's record: its own fields, then what an export kept under `extra`, read as the platform names them. */
export function factsOfRecord(record: CanonicalRecord): CallFacts | undefined {
  const fields = record as unknown as Fields;
  return factsOf({
    ...callDetailsOf(fields),
    agent: record.agentId,
    callerId: record.callerId ?? sentCallerIdOf(fields),
    dispositionCode: record.dispositionCode,
    dispositionName: firstField(fields, ["dispositionName"]),
    durationSeconds: record.durationSeconds,
  });
}

/** A completed contact (either platform's call record, as its adapter modelled it). */
export function factsOfCall(call: OutboundCall): CallFacts | undefined {
  return factsOf({
    abandoned: call.abandoned,
    agent: call.agentId,
    aiAgent: call.aiAgent,
    attestation: call.attestation,
    callerId: call.callerId,
    callerName: call.callerName,
    dispositionCode: call.dispositionCode,
    dispositionName: call.dispositionName,
    durationSeconds: call.durationSeconds,
    outcome: call.outcome,
    recording: call.recording,
    safeHarborMessage: call.safeHarborMessage,
  });
}

/** A list's dial. */
export function factsOfDial(dial: ListAttempt): CallFacts | undefined {
  return factsOf({ agent: dial.agentId, dispositionCode: dial.disposition, outcome: dial.outcome });
}
