import { createHash } from "node:crypto";
import { agentIdOf } from "../../core/call-agent.ts";
import { NotFoundError } from "../../core/http/errors.ts";
import { pathOf } from "../../core/http/http-client.ts";
import type { ProductionApi } from "./api.ts";
import { dispositionIdOf, tagNamesOf } from "./contact-record.ts";
import { isObject, listOf, pick, type Raw, singleOf, text } from "./tolerant.ts";

/**
 * One contact as the dispositions and interactions adapters need it, from three reads made at
 * once: the reporting record (`/contacts/{id}`, envelope unconfirmed: flat, `{contactId:{…}}`,
 * `contacts[0]` or `completedContacts[0]`), its disposition (`V27.0 /contacts/{id}/disposition`,
 * 204 when none) and whether it is still active (`/contacts/active?contactId=`, 204 when not).
 */
export interface ContactView {
  id: string;
  skillId: string;
  primaryDispositionId: string | undefined;
  dispositionName: string | undefined;
  secondaryDispositionId: string | undefined;
  notes: string | undefined;
  agentId: string | undefined;
  tags: string[];
  lastUpdateTime: string | undefined;
  /** Still on the line or in after-call work: the only time a disposition can be set for sure. */
  active: boolean;
  raw: Raw;
}

export const DISPOSITION_VERSION = "V27.0";

export async function readContact(
  api: ProductionApi,
  contactId: string,
  signal?: AbortSignal,
): Promise<ContactView> {
  const s = signal ? { signal } : {};
  // A contact still on the line may not be in the reporting warehouse yet (404 there): then the
  // active record stands in for it.
  const [record, disposition, active] = await Promise.all([
    api
      .request({
        method: "GET",
        path: pathOf`/contacts/${contactId}`,
        endpoint: "GET /contacts/{contactId}",
        group: "dispositions",
        ...s,
      })
      .catch((error: unknown) => {
        if (error instanceof NotFoundError) return error;
        throw error;
      }),
    api
      .request({
        method: "GET",
        path: pathOf`/contacts/${contactId}/disposition`,
        version: DISPOSITION_VERSION,
        endpoint: "GET /contacts/{contactId}/disposition",
        group: "dispositions",
        ...s,
      })
      .catch((error: unknown) => {
        if (error instanceof NotFoundError) return undefined; // some tenants say 404 for "none set"
        throw error;
      }),
    api.request({
      method: "GET",
      path: "/contacts/active",
      endpoint: "GET /contacts/active",
      group: "dispositions",
      query: { contactId },
      ...s,
    }),
  ]);
  const activeRecord = listOf(active.body, "activeContacts").find((c) => text(c.contactId) === contactId);
  if (record instanceof NotFoundError && !activeRecord) throw record;
  const endpoint = "GET /contacts/{contactId}";
  // GEN's envelope is `{businessUnitId, lastPollTime, contactId:{…}}`; anything else is drift.
  if (!(record instanceof NotFoundError) && !(isObject(record.body) && isObject(record.body.contactId)))
    api.fallback(endpoint, "envelope");
  const contact =
    record instanceof NotFoundError
      ? (activeRecord as Raw)
      : singleOf(
          record.body,
          ["contactId", "contacts", "completedContacts", "contact"],
          "GET /contacts/{contactId}",
          record.status,
        );
  const set =
    !disposition || disposition.status === 204 || !isObject(disposition.body) ? {} : disposition.body;
  const isActive = activeRecord !== undefined;
  return {
    id: text(contact.contactId) ?? contactId,
    skillId: skillOf(api, contact, activeRecord, endpoint),
    primaryDispositionId:
      dispositionIdOf(pick(set, "dispositionId")) ?? dispositionIdOf(contact.primaryDispositionId),
    dispositionName: text(pick(set, "dispositionName")),
    secondaryDispositionId: dispositionIdOf(contact.secondaryDispositionId),
    notes: text(pick(set, "notes")) ?? text(contact.dispositionNotes),
    // CXone writes 0 for no agent: the rule of core/call-agent.ts, where the wire value arrives.
    agentId:
      agentIdOf(pick(set, "dispositionByAgendId", "dispositionedByAgendId")) ?? agentIdOf(contact.agentId),
    tags: tagNamesOf(contact.tags),
    lastUpdateTime: text(pick(set, "lastUpdated")) ?? text(contact.lastUpdateTime),
    active: isActive,
    raw: contact,
  };
}

/** The contact's skill: the record's, else the live record's; "" only after counting the drift. */
function skillOf(api: ProductionApi, contact: Raw, active: Raw | undefined, endpoint: string): string {
  const skill = text(contact.skillId) ?? text(active?.skillId);
  if (skill !== undefined) return skill;
  api.fallback(endpoint, "missing skillId");
  return "";
}

/**
 * The platform sends no ETag: one is made from what a disposition change alters, so a
 * concurrent change between a read and a write is still noticed (not closed: there is no lock).
 */
export function syntheticEtag(view: ContactView): string {
  const digest = createHash("sha256")
    .update(
      [
        view.primaryDispositionId ?? "",
        view.secondaryDispositionId ?? "",
        view.notes ?? "",
        view.lastUpdateTime ?? "",
      ].join("|"),
    )
    .digest("hex")
    .slice(0, 32);
  return `W/"${digest}"`;
}
