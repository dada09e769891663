import { InputError } from "../core/input-error.ts";
import type { Store } from "../core/store/index.ts";
import { type CampaignRecord, findKnownCampaign, listKnownCampaigns } from "../core/store/known-campaigns.ts";
import type { CampaignVoice } from "./voice-rules.ts";

/**
 * The voice a call is placed with comes from what places it — the skill (`compliance.skills.ID`
 * in cxo.config.yaml, `createClient({ compliance: { skills } })`: CXone has no field for it) or
 * the campaign spec this data dir created the campaign from (`voice:`, `announcement: live`,
 * `discloses: ai`) — not from a flag: every check, plan, push and evidence record for the
 * campaign takes it as its default (a check's own `voice` overrides it for a one-off question).
 * Two declarations that disagree are refused, never one picked.
 */
export type SkillVoices = Readonly<Record<string, CampaignVoice>>;

/** A known campaign as compliance reads it: its spec's voice, typed here. */
type VoicedCampaign = CampaignRecord & { voice?: CampaignVoice };

const said = (v: CampaignVoice) =>
  [v.voice, v.announcement && "announcement live", v.discloses && "discloses ai"].filter(Boolean).join(", ");

/** The declared voice of `campaignId`: the skill's and the spec's, which must agree when both are given. */
export function declaredVoice(
  campaignId: string | undefined,
  spec: CampaignVoice | undefined,
  skills: SkillVoices | undefined,
): CampaignVoice | undefined {
  const skill = campaignId === undefined ? undefined : skills?.[campaignId];
  if (skill && spec && said(skill) !== said(spec))
    throw new InputError({
      field: `compliance.skills.${campaignId}.voice`,
      rule: `says ${said(skill)}, but the campaign spec says ${said(spec)}: one campaign's calls have one voice`,
    });
  return skill ?? spec;
}

/** `declaredVoice` with the spec's voice read from the store (a campaign this data dir created). */
export async function declaredVoiceOf(
  store: Pick<Store, "kv">,
  campaignId: string | undefined,
  skills: SkillVoices | undefined,
): Promise<CampaignVoice | undefined> {
  if (campaignId === undefined) return undefined;
  const known = await findKnownCampaign<VoicedCampaign>(store, campaignId);
  return declaredVoice(campaignId, known?.voice, skills);
}

/** Every campaign's declared voice (the known campaigns' specs and the skills'), by id. */
export async function declaredVoices(
  store: Pick<Store, "kv">,
  skills: SkillVoices | undefined,
): Promise<Map<string, CampaignVoice>> {
  const voices = new Map<string, CampaignVoice>();
  for (const known of await listKnownCampaigns<VoicedCampaign>(store)) {
    const voice = declaredVoice(known.id, known.voice, skills);
    if (voice) voices.set(known.id, voice);
  }
  for (const [id, voice] of Object.entries(skills ?? {})) if (!voices.has(id)) voices.set(id, voice);
  return voices;
}
