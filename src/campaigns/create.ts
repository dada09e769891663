import { checkPresentedCallerId } from "../compliance/caller-id-check.ts";
import type { CampaignCaps } from "../compliance/verdict.ts";
import { clockNowDate, clockNowMs } from "../core/clock/now.ts";
import { ConflictError, NotFoundError } from "../core/http/errors.ts";
import { failureFinish, type Operation, type Store } from "../core/store/index.ts";
import type { CampaignsPort, CampaignWrite } from "../platform/ports/campaigns.ts";
import type { Campaign } from "../platform/types.ts";
import { findKnownBySpec, KNOWN_CAMPAIGNS, type KnownCampaign } from "./known-campaigns.ts";
import { type CampaignSpec, type ResolvedCampaignSpec, specHash, toDefinition } from "./spec.ts";
/**
 * Creating a campaign from a spec, once. The idempotency key is the spec's canonical hash, so
 * the same spec carries the same key on every run, retry and re-drive, and CXone replays the
 * first answer instead of creating a duplicate. The store remembers what it created (in the
 * same transaction as the audit record and event), so a second run from this data dir does not
 * even send a POST — which also protects against CXone forgetting old idempotency keys.
 */
export const CREATE_KIND = "campaigns.create";

export interface CreatePayload {
  spec: ResolvedCampaignSpec;
  specHash: string;
}

export interface CreateOutcome {
  campaign: Campaign;
  specHash: string;
  /** True when this spec had been created before (known locally, or replayed by CXone). */
  alreadyCreated: boolean;
  /** Where "already created" was learned: this data dir, or CXone's idempotency replay. */
  source: "created" | "store" | "cxone-replay";
  idempotencyKey: string;
  /** What the platform keeps otherwise than the spec says, and how cxo makes up for it. */
  warnings?: string[];
}

export const createIdempotencyKey = (hash: string) => `cxo-campaign-create-${hash.slice(0, 48)}`;

export function createOperation(
  port: Pick<CampaignsPort, "create">,
  store?: Store,
): Operation<CreatePayload, CampaignWrite> {
  return {
    kind: CREATE_KIND,
    effect: (payload, ctx) =>
      port.create(toDefinition(payload.spec), ctx.idempotencyKey, ctx.signal, {
        // 47 CFR 64.1601(e): the skill is not started presenting no number, an invalid one or a blocked one.
        beforeStart: (skillId, callerId) =>
          checkPresentedCallerId(store, { campaignId: skillId, callerId }, payload.spec.kind, clockNowMs()),
      }),
    finish(settled, payload) {
      const context = { specHash: payload.specHash, name: payload.spec.name };
      if (!settled.ok) return failureFinish(settled.error, { details: context });
      const { campaign, replayed, attempts, requestId } = settled.value;
      const known: KnownCampaign = {
        id: campaign.id,
        name: campaign.name,
        createdAt: campaign.createdAt ?? clockNowDate().toISOString(),
        specHash: payload.specHash,
        contactListId: campaign.contactListId,
        failover: payload.spec.failover ?? null,
        pacing: payload.spec.pacing ?? null,
        ...(payload.spec.kind ? { kind: payload.spec.kind } : {}),
        ...(payload.spec.voice
          ? {
              voice: {
                voice: payload.spec.voice,
                ...(payload.spec.announcement ? { announcement: payload.spec.announcement } : {}),
                ...(payload.spec.discloses ? { discloses: payload.spec.discloses } : {}),
              },
            }
          : {}),
        ...contactCapsOf(payload.spec),
        ...dncRequestCodesOf(payload.spec),
      };
      return {
        outcome: "done",
        status: replayed ? 200 : 201,
        after: { id: campaign.id, name: campaign.name, status: campaign.status },
        details: { ...context, campaignId: campaign.id, replayed, attempts, requestId: requestId ?? null },
        events: [
          {
            type: "campaign.created",
            destination: "campaigns",
            orderKey: campaign.id,
            data: {
              campaignId: campaign.id,
              name: campaign.name,
              status: campaign.status,
              contactListId: campaign.contactListId,
              timeZone: campaign.timeZone,
              specHash: payload.specHash,
              replayed,
            },
          },
        ],
        checkpoints: [{ namespace: KNOWN_CAMPAIGNS, key: campaign.id, value: known }],
      };
    },
  };
}

export async function createCampaign(
  port: Pick<CampaignsPort, "create" | "get">,
  store: Store,
  spec: ResolvedCampaignSpec,
  request: { signal?: AbortSignal | undefined; idempotencyKey?: string | undefined } = {},
): Promise<CreateOutcome> {
  const hash = specHash(spec);
  const idempotencyKey = request.idempotencyKey ?? createIdempotencyKey(hash);
  const known = await findKnownBySpec(store, hash);
  if (known) {
    try {
      const campaign = await port.get(known.id, request.signal);
      return { campaign, specHash: hash, alreadyCreated: true, source: "store", idempotencyKey };
    } catch (error) {
      if (error instanceof NotFoundError)
        throw new ConflictError(
          `campaign ${known.id} was created from this spec (${known.createdAt}) but no longer exists in CXone; ` +
            "change the spec's name to create a new campaign",
          { status: 404 },
        );
      throw error;
    }
  }
  const write = await store.journal.run(createOperation(port, store), {
    target: `campaign-spec:${hash.slice(0, 16)}`,
    payload: { spec, specHash: hash },
    idempotencyKey,
    signal: request.signal,
  });
  return {
    campaign: write.campaign,
    specHash: hash,
    alreadyCreated: write.replayed,
    source: write.replayed ? "cxone-replay" : "created",
    idempotencyKey,
    ...(write.warnings && write.warnings.length > 0 ? { warnings: write.warnings } : {}),
  };
}

/** The codes the spec marks as do-not-call requests (none marked: no field). */
function dncRequestCodesOf(spec: CampaignSpec): { dncRequestCodes?: string[] } {
  const marked = Object.entries(spec.dispositions ?? {})
    .filter(([, d]) => d.dncRequest)
    .map(([code]) => code);
  return marked.length > 0 ? { dncRequestCodes: marked } : {};
}

/** The spec's per-contact caps as the compliance engine's CampaignCaps (none: no field). */
function contactCapsOf(spec: CampaignSpec): { contactCaps?: CampaignCaps } {
  const { maxCallsPerContactPerDay: perDay, maxCallsPerContactPerWeek: perWeek } = spec.compliance;
  if (perDay === undefined && perWeek === undefined) return {};
  return {
    contactCaps: {
      ...(perDay === undefined ? {} : { perDay }),
      ...(perWeek === undefined ? {} : { perWeek }),
    },
  };
}
