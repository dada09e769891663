import { randomUUID } from "node:crypto";
import { clockNowMs } from "../core/clock/now.ts";
import { InputError } from "../core/input-error.ts";
import { partOrRefuse } from "../core/not-supported-error.ts";
import type { Operation, Store } from "../core/store/index.ts";
import type { ClientContext } from "../platform/client-context.ts";
import type {
  DoctorFact,
  DoctorFindings,
  DoctorPort,
  DoctorRunParams,
  DoctorWrite,
  ScratchResult,
  ScratchSnapshot,
} from "../platform/ports/doctor.ts";
/** What `doctor.run()` found (the `cxo doctor --json` document). */
export interface DoctorReport extends Readonly<DoctorFindings["tenant"]> {
  /** Requests this run sent, login and discovery included. */
  requests: number;
  /** Writes it made (none without a scratch skill or an agent probe), each with whether it was put back. */
  writes: DoctorWrite[];
  facts: DoctorFact[];
  /** True when every fact checked agrees with the current settings and profile. */
  matches: boolean;
  /** The tenant profile these findings make: write it as YAML (`cxo doctor --profile FILE`). */
  profile: Record<string, unknown>;
}

const KIND = "doctor.scratch";

/**
 * The scratch probes as one journaled operation: the pending row holds the snapshot while they
 * run, so a crash leaves it pending and the next run's re-drive restores the skill from it.
 */
function scratchOperation(
  doctor: DoctorPort,
  probe?: () => Promise<ScratchResult>,
): Operation<ScratchSnapshot, ScratchResult> {
  return {
    kind: KIND,
    effect: async (snapshot, ctx) =>
      probe && !ctx.redriven
        ? probe()
        : { facts: [], writes: await doctor.restoreScratch(snapshot, ctx.signal) },
    finish: (settled, snapshot) =>
      settled.ok
        ? {
            outcome: "done",
            details: {
              skillId: snapshot.skillId,
              writes: settled.value.writes,
              restoredFrom: snapshot.blocks,
            },
          }
        : {
            outcome: "failed",
            details: {
              skillId: snapshot.skillId,
              error: (settled.error as Error).message,
              restoreByHand: snapshot.blocks,
            },
          },
  };
}

const ID = /^[1-9]\d{0,17}$/;

function checkParams(params: DoctorRunParams): void {
  if (typeof params !== "object" || params === null)
    throw new InputError({ field: "params", rule: "must be an object" });
  if (params.scratchSkillId !== undefined && typeof params.scratchSkillId !== "string")
    throw new InputError({ field: "scratchSkillId", rule: "must be a skill id (text of digits)" });
  if (params.iKnow && params.scratchSkillId === undefined)
    throw new InputError({
      field: "iKnow",
      rule: "confirms a scratch skill's use: give `scratchSkillId` with it",
    });
  const agent = params.agentProbe;
  if (agent !== undefined) {
    if (typeof agent !== "object" || agent === null)
      throw new InputError({ field: "agentProbe", rule: "must be { agentId, contactId }" });
    if (typeof agent.agentId !== "string" || !ID.test(agent.agentId))
      throw new InputError({ field: "agentProbe.agentId", rule: "must be the test agent's id (digits)" });
    if (typeof agent.contactId !== "string" || !ID.test(agent.contactId))
      throw new InputError({
        field: "agentProbe.contactId",
        rule: "must be a live contact's id of that agent (digits)",
      });
  }
}

function doctorOf(context: ClientContext): DoctorPort {
  return partOrRefuse(context.port.doctor, {
    platform: context.port.support.name,
    operation: "doctor.run",
    why: "doctor probes what NICE's production API leaves open; the seed platform's API is the emulator's own",
    alternative: "point cxo at a production tenant (CXONE_PLATFORM=cxone) and run it there",
  });
}

/**
 * The tenant check for a client: the port's probes (read-only unless a scratch skill or an
 * agent probe is given), the scratch probes journaled so that a crash restores the skill on the
 * next run, and the consent coverage fact. `requestsSent` counts the client's requests.
 */
export async function runDoctor(
  context: ClientContext,
  requestsSent: () => number,
  params: DoctorRunParams,
  signal: AbortSignal | undefined,
): Promise<DoctorReport> {
  checkParams(params);
  const doctor = doctorOf(context);
  const before = requestsSent();
  // A scratch skill an earlier run left changed is put back before anything else.
  const store: Store = await context.storeFor("doctor", [scratchOperation(doctor)]);
  const snapshot = await doctor.scratchSnapshot(params, signal);
  const findings = await doctor.run(
    params,
    snapshot && {
      snapshot,
      journaled: (probe) =>
        store.journal.run(scratchOperation(doctor, probe), {
          target: `skill/${snapshot.skillId}`,
          // Each run's probe is its own intent (the same snapshot twice is two runs).
          idempotencyKey: `doctor-${randomUUID()}`,
          payload: snapshot,
          signal,
        }),
    },
    signal,
  );
  const facts = [
    ...findings.facts,
    await (await import("../consent/client-coverage.ts")).consentCoverageFact(context, signal),
    (await import("./rule-dates-fact.ts")).ruleDatesFact(context.effectiveDates, clockNowMs()),
  ];
  return {
    ...findings.tenant,
    requests: requestsSent() - before,
    writes: findings.writes,
    facts,
    matches: facts.every((f) => f.matches),
    profile: findings.profile,
  };
}
