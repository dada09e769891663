import {
  type ControllerOptions,
  lineHeadroom,
  type PacingController,
  type PacingObservation,
} from "./types.ts";

/**
 * A fixed dial level applied the VICIdial way (AST_VDauto_dial.pl, reference §2): target lines =
 * level × active agents (ready + on a call), new dials = target − every call not yet ended
 * (ringing, waiting, connected). Level 1 is progressive. `schedule` gives one level per slot of
 * `slotSeconds` from `scheduleStart` (seconds of day), for the clairvoyant reference.
 */
export function applyLevel(o: PacingObservation, level: number): number {
  const active = o.agentsReady + o.agentsTalking;
  const target = Math.floor(level * active + 1e-9);
  return target - (o.callsRinging + o.callsWaiting + o.callsConnected);
}

export function fixedRatio(options: ControllerOptions): PacingController {
  const { limits } = options;
  const tuning = options.tuning ?? {};
  const ratio = Number(tuning.ratio ?? 1);
  const schedule = typeof tuning.schedule === "string" ? tuning.schedule.split(",").map(Number) : undefined;
  const slotSeconds = Number(tuning.slotSeconds ?? 900);
  const scheduleStart = Number(tuning.scheduleStart ?? 0);
  let current = ratio;
  return {
    name: schedule ? "clairvoyant" : "best-fixed",
    tuning,
    tick(o: PacingObservation): number {
      if (schedule) {
        const i = Math.floor((o.secondOfDay - scheduleStart) / slotSeconds);
        current = schedule[Math.max(0, Math.min(schedule.length - 1, i))] as number;
      }
      const n = applyLevel(o, Math.min(current, limits.maxLinesPerAgent));
      return Math.max(0, Math.min(n, lineHeadroom(o, limits)));
    },
    status: () => ({ ratio: current }),
  };
}
