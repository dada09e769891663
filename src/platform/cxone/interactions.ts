import type { ProductionApiSettings } from "../../core/config/schema.ts";
import { ConflictError, PreconditionFailedError, ValidationError } from "../../core/http/errors.ts";
import { pathOf } from "../../core/http/http-client.ts";
import { InputError } from "../../core/input-error.ts";
import { NotSupportedError } from "../errors.ts";
import type { InteractionsPort } from "../ports/interactions.ts";
import type { InteractionDispositionEntry, VersionedInteraction } from "../types.ts";
import type { ProductionApi } from "./api.ts";
import { startOf } from "./contact-record.ts";
import { type ContactView, readContact, syntheticEtag } from "./contacts.ts";
import { skipTopPages } from "./paging.ts";
import { assertCodeOfSkill } from "./skill-dispositions.ts";
import { bool, pick, text } from "./tolerant.ts";

/**
 * Seed 001 over the production API. Reading works (a contact and its disposition, with an ETag
 * made from what a change alters). Correcting a completed contact's disposition has no known API:
 * refused with NotSupportedError before anything is sent, unless opted in
 * (`allowClosedContactDisposition`), when set-disposition is tried and a refusal is a conflict.
 */
export const CLOSED_CORRECTION_UNSUPPORTED = {
  platform: "cxone",
  operation: "interactions.replaceDispositions",
  why: "CXone has no API to change a completed contact's disposition (set-disposition needs a live contact)",
  alternative:
    "correct it in CXone's UI (Reporting → contact history), set dispositions while the contact is live with `cxo tag`, or opt in with cxone.productionApi.allowClosedContactDisposition: true",
} as const;

function toVersioned(view: ContactView): VersionedInteraction {
  const dispositions: InteractionDispositionEntry[] = [];
  const at = view.lastUpdateTime ?? "";
  if (view.primaryDispositionId)
    dispositions.push({
      code: view.primaryDispositionId,
      description: view.dispositionName ?? view.primaryDispositionId,
      agentId: view.agentId ?? "",
      timestamp: at,
      source: "primary",
    });
  if (view.secondaryDispositionId)
    dispositions.push({
      code: view.secondaryDispositionId,
      description: view.secondaryDispositionId,
      agentId: view.agentId ?? "",
      timestamp: at,
      source: "secondary",
    });
  const calledNumber = text(pick(view.raw, "toAddress", "toAddr"));
  const startedAt = startOf(view.raw);
  return {
    interaction: {
      id: view.id,
      dispositions,
      lastModifiedTime: view.lastUpdateTime,
      // The domain's campaign on this platform is the skill (CXone's own campaignId is a reporting group).
      ...(view.skillId !== "" ? { campaignId: view.skillId } : {}),
      ...(calledNumber !== undefined ? { calledNumber } : {}),
      ...(startedAt !== undefined ? { startedAt } : {}),
      raw: view.raw,
    },
    etag: syntheticEtag(view),
  };
}

export function productionInteractions(api: ProductionApi, options: ProductionApiSettings): InteractionsPort {
  return {
    async get(interactionId, signal) {
      return toVersioned(await readContact(api, interactionId, signal));
    },

    async replaceDispositions(interactionId, dispositions, ifMatch, opts = {}) {
      if (!options.allowClosedContactDisposition) throw new NotSupportedError(CLOSED_CORRECTION_UNSUPPORTED);
      if (dispositions.length === 0 || dispositions.length > 2)
        throw new InputError({
          field: "dispositions",
          rule: `interaction ${interactionId}: CXone holds one primary and at most one secondary disposition (got ${dispositions.length})`,
        });
      if (!ifMatch)
        throw new PreconditionFailedError(`interaction ${interactionId}: an ETag (If-Match) is required`);
      const view = await readContact(api, interactionId, opts.signal);
      const current = syntheticEtag(view);
      if (current !== ifMatch)
        throw new ConflictError(`interaction ${interactionId} changed since it was read (ETag ${current})`, {
          status: 409,
          body: { error: "etag_mismatch", currentEtag: current },
        });
      // set-disposition writes one code: send the entry that changed, and only one change.
      const held = toVersioned(view).interaction.dispositions;
      const added = dispositions.filter((d) => !held.some((h) => h.code === d.code));
      const removed = held.filter((h) => !dispositions.some((d) => d.code === h.code));
      if (added.length === 0 && removed.length === 0) return toVersioned(view);
      if (added.length !== 1 || removed.length > 1)
        throw new InputError({
          field: "dispositions",
          rule: `interaction ${interactionId}: CXone's set-disposition changes one disposition per write; this change ${
            added.length === 0
              ? `removes ${removed.map((r) => r.code).join(", ")} and sets none`
              : `sets ${added.map((a) => a.code).join(", ")}${removed.length > 0 ? ` and removes ${removed.map((r) => r.code).join(", ")}` : ""}`
          } (nothing was sent)`,
        });
      const changed = added[0] as InteractionDispositionEntry;
      // The contact names its skill: a code outside that skill's matrix is refused, nothing sent.
      await assertCodeOfSkill(api, view, changed.code, "code", opts.signal);
      try {
        await api.request({
          method: "POST",
          path: pathOf`/contacts/${interactionId}/set-disposition`,
          endpoint: "POST /contacts/{contactId}/set-disposition",
          group: "interactions",
          body: {
            dispositionInfo: {
              skill: view.skillId,
              dispositionCode: changed.code,
            },
          },
          idempotencyKey: opts.idempotencyKey ?? true,
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
      } catch (error) {
        if (error instanceof ValidationError)
          throw new ConflictError(
            `interaction ${interactionId}: CXone refused the change (contact closed?): ${error.message}`,
            {
              status: 409,
              body: { error: "contact_closed" },
            },
          );
        throw error;
      }
      // A 200 is not proof (a tenant may accept and ignore a completed contact): read it back.
      const after = await readContact(api, interactionId, opts.signal);
      if (after.primaryDispositionId !== changed.code)
        throw new ConflictError(
          `interaction ${interactionId}: CXone answered set-disposition with success, but the contact reads disposition ${after.primaryDispositionId ?? "none"}, not ${changed.code}; not updated`,
          {
            status: 409,
            body: {
              error: "not_applied",
              expected: changed.code,
              actual: after.primaryDispositionId ?? null,
            },
          },
        );
      return toVersioned(after);
    },

    async listDispositionCodes(signal) {
      const codes: Array<{ code: string; description: string; type: undefined }> = [];
      for await (const items of skipTopPages(api, {
        path: "/dispositions",
        endpoint: "GET /dispositions",
        group: "interactions",
        key: "dispositions",
        query: { isActive: true },
        signal,
      })) {
        for (const d of items) {
          const code = text(d.dispositionId);
          if (code !== undefined && bool(d.isActive) !== false)
            codes.push({ code, description: text(d.dispositionName) ?? code, type: undefined });
        }
      }
      return codes;
    },
  };
}
