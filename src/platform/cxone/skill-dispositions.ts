import { CxoneError } from "../../core/http/errors.ts";
import { pathOf } from "../../core/http/http-client.ts";
import { InputError } from "../../core/input-error.ts";
import type { DispositionMatrix } from "../types.ts";
import type { ProductionApi } from "./api.ts";
import { checkCampaignSkill } from "./campaign-skill.ts";
import type { ContactView } from "./contacts.ts";
import { allItems } from "./paging.ts";
import { type Raw, text } from "./tolerant.ts";

/**
 * The version a role without the Skills View permission reads a skill's dispositions at. NICE's
 * agent SDK reads them at v12.0 on purpose, "so agent with no View permission on Skills will not
 * get stuck" (core-sdk `constants/api-uri-constants.js:78-80`; independent-clients.md §10): later
 * versions need that permission. Doctor's fact `skillDispositionsVersion` records which one the
 * API user's role reads (doctor/skill-dispositions-probe.ts).
 */
export const SKILLS_VIEW_FREE_VERSION = "v12.0";

/** Clients whose role was refused the pinned version: they read at v12.0 from then on. */
const withoutSkillsView = new WeakSet<ProductionApi>();

/**
 * `GET /skills/{skillId}/dispositions`, every page: at the pinned version, and on a 403 there
 * once more at v12.0 (remembered for this client, so a refused role costs one 403, not one per
 * read). A 403 at v12.0 too is the pinned version's refusal (it names the missing permission).
 */
export async function readSkillDispositions(
  api: ProductionApi,
  skillId: string,
  signal?: AbortSignal,
): Promise<Raw[]> {
  const read = (version?: string) =>
    allItems(api, {
      path: pathOf`/skills/${skillId}/dispositions`,
      endpoint: "GET /skills/{skillId}/dispositions",
      group: "dispositions",
      key: "dispositions",
      ...(version ? { version } : {}),
      signal,
    });
  if (withoutSkillsView.has(api)) return read(SKILLS_VIEW_FREE_VERSION);
  try {
    return await read();
  } catch (error) {
    if (!isForbidden(error) || api.version === SKILLS_VIEW_FREE_VERSION) throw error;
    const items = await read(SKILLS_VIEW_FREE_VERSION).catch((again: unknown) => {
      throw isForbidden(again) ? error : again;
    });
    withoutSkillsView.add(api);
    return items;
  }
}

/** A 403 (the core's ScopeError is a CxoneError with that status). */
const isForbidden = (error: unknown) => error instanceof CxoneError && error.status === 403;

/**
 * A skill's dispositions as a matrix (the platform has no reason codes under a disposition:
 * `reasonCodes` is always empty). One read of `GET /skills/{skillId}/dispositions` (v12.0 for a
 * role refused the pinned version), after the skill is known to be an outbound one of the tenant.
 */
export async function readSkillMatrix(
  api: ProductionApi,
  skillId: string,
  signal?: AbortSignal,
): Promise<DispositionMatrix> {
  await checkCampaignSkill(api, skillId, signal);
  const items = await readSkillDispositions(api, skillId, signal);
  const codes = items.flatMap((d) => {
    const id = text(d.dispositionId);
    return id === undefined ? [] : [{ id, name: text(d.dispositionName) ?? id, reasonCodes: [] }];
  });
  return { campaignId: skillId, codes };
}

/**
 * Issue 50 §3: a write lands only on the skill it names. The contact read before any write says
 * which skill the contact belongs to; a contact of another skill than the campaign the caller
 * named is bad input naming both, before anything is sent.
 */
export function assertContactOfSkill(view: ContactView, campaignId: string, field = "callId"): void {
  if (view.skillId === "" || view.skillId === campaignId) return;
  throw new InputError({
    field,
    rule: `call ${view.id} is a contact of skill ${view.skillId}, not of campaign ${campaignId}: nothing was sent (tag it under campaign ${view.skillId}, or check the call id)`,
  });
}

/**
 * A code the contact's own skill does not have is bad input naming the code and the skill (with
 * the codes it does have), before anything is sent: CXone would refuse it (400) at best, or set
 * a disposition foreign to the skill's matrix. Returns the matrix read.
 */
export async function assertCodeOfSkill(
  api: ProductionApi,
  view: ContactView,
  code: string,
  field: string,
  signal?: AbortSignal,
): Promise<DispositionMatrix | undefined> {
  if (view.skillId === "") return undefined;
  const matrix = await readSkillMatrix(api, view.skillId, signal);
  if (matrix.codes.some((c) => c.id === code)) return matrix;
  const offered = matrix.codes.map((c) => (c.name === c.id ? c.id : `${c.id} (${c.name})`));
  throw new InputError({
    field,
    rule: `disposition ${code} is not in the disposition matrix of skill ${view.skillId}, the skill of contact ${view.id}: nothing was sent (its codes: ${offered.length > 0 ? offered.join(", ") : "none"})`,
  });
}
