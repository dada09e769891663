import { z } from "zod";
import { pathOf } from "../../../core/http/http-client.ts";
import type { DoctorEvidence } from "../../ports/doctor.ts";
import { SKILLS_VIEW_FREE_VERSION } from "../skill-dispositions.ts";
import type { FactSpec } from "./facts.ts";
import { outboundSkillOf } from "./list-probes.ts";
import { evidenceOf, ok, probeCall } from "./probe-call.ts";
import {
  type Observation,
  PHONE_CALL,
  type ReadContext,
  seen,
  type TenantInfo,
  untold,
} from "./read-context.ts";

/**
 * Issue 75 §2–3: at which API version the API user's role reads a skill's dispositions. NICE's
 * agent SDK reads them at v12.0 on purpose, because later versions need the Skills View
 * permission (core-sdk `api-uri-constants.js:78-80`); cxo pins v33.0 and, on a 403 there, reads
 * v12.0 (skill-dispositions.ts). The probe asks the pinned version, then v12.0 when refused: two
 * reads at most, nothing written. The fact (and the emulator's knob of the same name) is
 * `v33.0` when the pinned version serves the role, `v12.0` when only v12.0 does.
 */
export const SKILL_DISPOSITIONS_VERSION_FACT: FactSpec = {
  id: "skillDispositionsVersion",
  title:
    "the API version at which the API user's role reads a skill's dispositions (v33.0 needs Skills View)",
  probe: "read",
  value: z.enum(["v33.0", "v12.0"]),
  assumption: "v33.0",
  advice: (observed) =>
    observed === "v12.0"
      ? "the API user's role lacks the Skills View permission: cxo reads skill dispositions at v12.0 after one 403 (as NICE's agent SDK does); give the role Skills View to read them at the pinned version"
      : undefined,
};

const ID = SKILL_DISPOSITIONS_VERSION_FACT.id;

export async function probeSkillDispositionsVersion(
  ctx: ReadContext,
  info: TenantInfo,
): Promise<Observation[]> {
  const evidence: DoctorEvidence[] = [];
  const skillId = await outboundSkillOf(ctx, info.skillId, { mediaTypeId: PHONE_CALL, top: 100 }, evidence);
  if (!skillId) return [untold(ID, "no outbound skill on this tenant to read the dispositions of", evidence)];
  const read = (version?: string) =>
    probeCall(
      ctx.api,
      {
        method: "GET",
        path: pathOf`/skills/${skillId}/dispositions`,
        ...(version ? { version } : {}),
        endpoint: "GET /skills/{skillId}/dispositions",
        group: "dispositions",
        query: { skip: 0, top: 1 },
      },
      ctx.signal,
    );
  const pinned = await read();
  evidence.push(evidenceOf(pinned, { version: ctx.api.version, status: pinned.status }));
  if (ok(pinned)) return [seen(ID, "v33.0", evidence)];
  if (pinned.status !== 403)
    return [
      untold(
        ID,
        `GET /skills/${skillId}/dispositions answered ${pinned.status} at ${ctx.api.version}`,
        evidence,
      ),
    ];
  info.refused.push(`GET /skills/{skillId}/dispositions (${ctx.api.version})`);
  const old = await read(SKILLS_VIEW_FREE_VERSION);
  evidence.push(evidenceOf(old, { version: SKILLS_VIEW_FREE_VERSION, status: old.status }));
  if (ok(old)) return [seen(ID, "v12.0", evidence)];
  return [
    untold(
      ID,
      `the role was refused a skill's dispositions at ${ctx.api.version} and at ${SKILLS_VIEW_FREE_VERSION} (${old.status})`,
      evidence,
    ),
  ];
}
