import { isId } from "../core/ids.ts";

/**
 * Whom a revocation of consent covers: `tenant`, every campaign of the business unit (the
 * seller); `campaign`, one campaign (on the production platform, one Personal Connection skill);
 * `all`, every tenant of the installation that shares the seller (`consent.seller`).
 *
 * cxo holds a scope as this union. People, files, webhooks and JSON documents write it as text
 * (`ScopeText`: `tenant`, `all`, `campaign:<id>`): `parseScope` reads that text and `scopeText`
 * writes it, and nothing else knows how it is spelled. The store keeps it as two columns, its kind
 * and its campaign (`scopeColumns`, `scopeOfColumns`; migration 16).
 */
export type Scope = { kind: "tenant" } | { kind: "all" } | { kind: "campaign"; campaignId: string };

/**
 * A scope as people, files, webhooks and JSON write it: `tenant` (every campaign of the business
 * unit, the seller), `campaign:<id>` (one campaign), `all` (every tenant of the installation that
 * shares the seller, `consent.seller`).
 */
export type ScopeText = "tenant" | "all" | `campaign:${string}`;

/** The scope a revocation that names none has. */
export const TENANT_SCOPE: Scope = Object.freeze({ kind: "tenant" });
const ALL_SCOPE: Scope = Object.freeze({ kind: "all" });

/** The scope `text` says (surrounding blanks ignored); undefined when it says none (bad input). */
export function parseScope(text: string): Scope | undefined {
  const scope = text.trim();
  if (scope === "tenant") return TENANT_SCOPE;
  if (scope === "all") return ALL_SCOPE;
  const campaign = /^campaign:(.+)$/.exec(scope)?.[1];
  return isId(campaign) ? { kind: "campaign", campaignId: campaign } : undefined;
}

/** The scope as text (`campaign:<id>` for one campaign), the form every output and id uses. */
export function scopeText(scope: Scope): ScopeText {
  return scope.kind === "campaign" ? `campaign:${scope.campaignId}` : scope.kind;
}

/**
 * Whether a revocation of this scope covers a call on `campaignId`: `tenant` and `all` cover every
 * campaign of the store's tenant. A question naming no campaign (undefined) is covered by a
 * campaign's scope too: it cannot say the number may be called anywhere.
 */
export function scopeCovers(scope: Scope, campaignId: string | undefined): boolean {
  return scope.kind !== "campaign" || campaignId === undefined || scope.campaignId === campaignId;
}

/** The store's columns for a scope: its kind, and the campaign of a campaign scope (else null). */
export function scopeColumns(scope: Scope): { kind: Scope["kind"]; campaign: string | null } {
  return { kind: scope.kind, campaign: scope.kind === "campaign" ? scope.campaignId : null };
}

/** The scope a row's two columns hold. */
export function scopeOfColumns(kind: string, campaign: string | null): Scope {
  if (kind === "tenant") return TENANT_SCOPE;
  if (kind === "all") return ALL_SCOPE;
  if (kind === "campaign" && campaign !== null && campaign !== "") return { kind, campaignId: campaign };
  throw new Error(`a consent ledger row holds no scope cxo knows: kind ${kind}, campaign ${campaign}`);
}
