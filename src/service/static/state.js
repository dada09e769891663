// @ts-check
// What the board knows, shared by the cards, the panels and the actions (no module owns it alone).
import { el } from "./dom.js";

/**
 * @typedef {{ id: string, name: string | null, status: string, pacing?: any, [key: string]: any }} CampaignView
 */

/** Everything the page knows, so panels and cards can name campaigns and re-render ages. */
export const state = {
  /** @type {Map<string, CampaignView>} */
  campaigns: new Map(),
  /** @type {Map<string, any[]>} id → MetricPoint[] */
  series: new Map(),
  /** @type {Map<string, any>} id → card parts */
  cards: new Map(),
  /** @type {any[]} */
  incidents: [],
  /** @type {any[]} */
  outbox: [],
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

/** Asks the board to read its store panels again (after an action): an event, so nothing imports the board. */
export const requestRefresh = () => document.dispatchEvent(new CustomEvent("cxo:refresh"));
