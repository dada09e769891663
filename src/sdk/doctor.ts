import type { DoctorReport } from "../doctor/run.ts";
import type { DoctorRunParams } from "../platform/ports/doctor.ts";
import { runCall } from "./call.ts";
import { type ClientRuntime, paramsOf, type RequestOptions } from "./runtime.ts";

export type { DoctorReport } from "../doctor/run.ts";
export type {
  DoctorEvidence,
  DoctorFact,
  DoctorProbeKind,
  DoctorRunParams,
  DoctorWrite,
} from "../platform/ports/doctor.ts";

export interface DoctorGroup {
  /**
   * Probes the tenant and says, fact by fact, what the adapter assumes, what the tenant did and
   * the setting that follows. Read-only unless `scratchSkillId` (writes on that skill, journaled
   * and restored) or `agentProbe` (a test agent's live contact) is given. A scratch probe an
   * earlier run left unrestored (a crash) is restored first.
   */
  run(params?: DoctorRunParams, options?: RequestOptions): Promise<DoctorReport>;
}

export function doctorGroup(runtime: ClientRuntime): DoctorGroup {
  return {
    run: (given, options) =>
      runCall(runtime, options, async (signal) => {
        const { runDoctor } = await import("../doctor/run.ts");
        const params = paramsOf(given) as DoctorRunParams;
        return runDoctor(runtime, () => runtime.core.requestsSent(), params, signal);
      }),
  };
}
