import { cxoneWords, NotFoundError, ValidationError } from "../../core/http/errors.ts";
import { pathOf } from "../../core/http/http-client.ts";
import { isSkillId } from "../../core/ids.ts";
import { InputError } from "../../core/input-error.ts";
import { objectIn } from "./answer-shapes.ts";
import type { ProductionApi } from "./api.ts";
import { bool, type Raw, singleOf } from "./tolerant.ts";

/**
 * On this platform a campaign is an outbound skill, and a skill id is a whole number. A
 * malformed id is refused here, before anything is sent; an unknown skill is CXone's 404
 * (NotFoundError); an inbound skill is refused as a campaign (bad input), the same way for
 * every capability. The outbound verdict of a skill does not change, so it is kept per client.
 */

export function checkSkillId(value: string, field = "campaignId"): void {
  if (!isSkillId(value))
    throw new InputError({
      field,
      rule: `"${value}" is not a CXone skill id (a campaign on this platform is a skill, named by a whole number)`,
    });
}

/** A contact (call, interaction) id on this platform: a whole number, as a skill id is. */
export function checkContactId(value: string, field = "callId"): void {
  if (!isSkillId(value))
    throw new InputError({
      field,
      rule: `"${value}" is not a CXone contact id (a call on this platform is a contact, named by a whole number)`,
    });
}

const verified = new WeakMap<ProductionApi, Map<string, Promise<void>>>();

export async function readSkillRecord(
  api: ProductionApi,
  skillId: string,
  signal?: AbortSignal,
): Promise<Raw> {
  checkSkillId(skillId);
  const response = await api.request({
    method: "GET",
    path: pathOf`/skills/${skillId}`,
    endpoint: "GET /skills/{skillId}",
    group: "campaigns",
    ...(signal ? { signal } : {}),
  });
  if (response.status === 204) throw new NotFoundError(`skill ${skillId} not found`, { status: 404 });
  const skill = singleOf(response.body, ["skills", "skill"], "GET /skills/{skillId}", response.status);
  assertOutbound(skillId, skill);
  return skill;
}

function assertOutbound(skillId: string, skill: Raw): void {
  if (bool(skill.isOutbound) === false)
    throw new InputError({
      field: "campaignId",
      rule: `skill ${skillId} is an inbound skill, not a campaign (on this platform a campaign is an outbound Personal Connection skill)`,
    });
}

/**
 * The skill's combined `GET /skills/{id}/parameters` (its calling lists and every block), or {}
 * when the skill has none (a skill that is not Personal Connection answers 400 or 404).
 */
export function readSkillParameters(api: ProductionApi, skillId: string, signal?: AbortSignal): Promise<Raw> {
  return (
    api
      .request({
        method: "GET",
        path: pathOf`/skills/${skillId}/parameters`,
        endpoint: "GET /skills/{skillId}/parameters",
        group: "campaigns",
        ...(signal ? { signal } : {}),
      })
      // A 2xx that is not an object is not "no parameters": the calling hours, schedule and retry
      // rules it should show would be missed (issue 75 §1).
      .then((r) =>
        objectIn(r, "GET /skills/{skillId}/parameters", "the skill's parameter blocks as an object"),
      )
      .catch((error: unknown) => {
        if (error instanceof ValidationError || error instanceof NotFoundError) return {} as Raw;
        throw error;
      })
  );
}

/**
 * Throws unless `skillId` names an outbound skill of the tenant (one read per skill and client):
 * a malformed, unknown or inbound id is the caller's bad input (InputError naming `campaignId`),
 * the same on every command that takes a campaign.
 */
export function checkCampaignSkill(api: ProductionApi, skillId: string, signal?: AbortSignal): Promise<void> {
  checkSkillId(skillId);
  const known = verified.get(api) ?? new Map<string, Promise<void>>();
  verified.set(api, known);
  let check = known.get(skillId);
  if (!check) {
    check = readSkillRecord(api, skillId, signal).then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof NotFoundError)
          throw new InputError({
            field: "campaignId",
            rule: `campaign ${skillId} does not exist${cxoneWords(error)}`,
          });
        throw error;
      },
    );
    check.catch(() => known.delete(skillId));
    known.set(skillId, check);
  }
  return check;
}
