// @ts-check
// What the board knows, shared by the cards, the panels and the actions (no module owns it alone).
/** @import { CampaignAnswer, MetricPoint } from "../answers/board.ts" */
/** @import { IncidentsAnswer, OutboxAnswer } from "../answers/panels.ts" */
/** @import { CardParts } from "./cards.js" */
import { el } from "./dom.js";
import { emit } from "./events.js";

/** Everything the page knows, so panels and cards can name campaigns and re-render ages. */
export const state = {
  /** @type {Map<string, CampaignAnswer>} */
  campaigns: new Map(),
  /** @type {Map<string, MetricPoint[]>} */
  series: new Map(),
  /** @type {Map<string, CardParts>} */
  cards: new Map(),
  /** @type {IncidentsAnswer["incidents"]} */
  incidents: [],
  /** @type {OutboxAnswer["destinations"]} */
  outbox: [],
  /** The business units this user is granted (a service for several): `{name, path}`. */
  /** @type {Array<{ name: string, path: string }>} */
  tenants: [],
  /** What needs attention on the user's other business units (tenants.js). */
  /** @type {Array<{ tenant: string, path: string, level: string, text: string }>} */
  elsewhere: [],
  /** Consent findings that need attention (issue 77): revocations overdue, skills CXone could dial a revoked number on. */
  /** @type {{ overdue: number, reviewOverdue: number, gaps: Array<{ skill: string, reason: string }>, late: number, breached: number }} */
  consent: { overdue: 0, reviewOverdue: 0, gaps: [], late: 0, breached: 0 },
  /** Skills edited behind cxo's back after a push, not yet put back or emptied (the skill watch). */
  /** @type {Array<{ skill: string, text: string, seenAt: string, action: string }>} */
  skillDrift: [],
  /** Campaigns the autopilot stopped (autopilot.js): on "Needs attention" until resumed. */
  /** @type {Array<{ campaign: string, reason: string }>} */
  autopilotStopped: [],
  /** Campaigns whose failure has passed for longer than escalateAfterMinutes (autopilot.js). */
  /** @type {Array<{ campaign: string, step: string, since: string, text: string }>} */
  autopilotAttention: [],
  /** Server time minus browser time, so "how old" is right when the two clocks differ. */
  skewMs: 0,
};
export const serverNow = () => Date.now() + state.skewMs;

/** A campaign's name for people; its id on hover. */
export function campaignLabel(/** @type {string} */ id) {
  const name = state.campaigns.get(id)?.name;
  return el("span", { class: "campaign-name", title: `campaign id ${id}` }, name || id);
}
export const campaignName = (/** @type {string} */ id) => state.campaigns.get(id)?.name || id;

/**
 * The business unit this board is for, on a service for several (`/t/NAME/`): its name, and the
 * prefix of its API. null / "" on a service for one (everything at the root, as before).
 */
export const tenant = /^\/t\/([a-z][a-z0-9-]{0,31})(\/|$)/.exec(location.pathname)?.[1] ?? null;
const tenantBase = tenant === null ? "" : `/t/${tenant}`;

/**
 * The URL of a board API path for this board's business unit. Sign-in (`/api/session`) and the
 * list of tenants are the installation's, at the root.
 * @param {string} path
 */
export function apiPath(path) {
  if (path.startsWith("/api/session") || path.startsWith("/api/tenants")) return path;
  return path.startsWith("/api/") ? `${tenantBase}${path}` : path;
}

/** Asks the board to read its store panels again (after an action): an event, so nothing imports the board. */
export const requestRefresh = () => emit("refresh", undefined);
