import { type ControllerOptions, dialsFor, type PacingController, type PacingObservation } from "./types.ts";

/**
 * Progressive dialing (reference §2): one call per free agent. A free agent is one that is
 * ready and not already covered by a call being placed for it, so the calls still ringing
 * count against the ready agents. Never abandons unless answers outnumber ready agents.
 */
export function progressive(options: ControllerOptions): PacingController {
  const { limits } = options;
  return {
    name: "progressive",
    tuning: {},
    tick(o: PacingObservation): number {
      return dialsFor(o.agentsReady, o, limits);
    },
    status: () => ({ ratio: 1 }),
  };
}
