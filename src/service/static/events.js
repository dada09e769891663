// @ts-check
// How the board's modules tell each other what happened, without importing each other: a small
// typed event bus (the names and their payloads below; a wrong name or payload is a type error).
// The cards say a campaign was drawn (the actions add its buttons), the panels say what the
// incidents and the outbox hold now (the actions add theirs), the first load says the page is
// ready, and an action asks for a refresh. Listeners run at once, in the order they were added.
/** @import { CampaignAnswer } from "../answers/board.ts" */
/** @import { IncidentsAnswer, OutboxAnswer } from "../answers/panels.ts" */

/**
 * The events, each with its payload: a card was drawn (its campaign and where its buttons go);
 * the incidents or the outbox panel was read again; the first picture is on the page; read the
 * store panels again (after an action).
 * @typedef {{
 *   campaign: { campaign: CampaignAnswer, card: { actions: HTMLElement } },
 *   incidents: IncidentsAnswer["incidents"],
 *   outbox: OutboxAnswer["destinations"],
 *   ready: undefined,
 *   refresh: undefined,
 * }} BoardEvents
 */

/** @type {{ [K in keyof BoardEvents]?: Array<(payload: BoardEvents[K]) => void> }} */
const listeners = {};

/**
 * Runs `listener` each time `name` is emitted.
 * @template {keyof BoardEvents} K
 * @param {K} name
 * @param {(payload: BoardEvents[K]) => void} listener
 */
export function on(name, listener) {
  const list = /** @type {Array<(payload: BoardEvents[K]) => void>} */ (listeners[name] ?? []);
  list.push(listener);
  listeners[name] = /** @type {(typeof listeners)[K]} */ (list);
}

/**
 * Tells every listener of `name`.
 * @template {keyof BoardEvents} K
 * @param {K} name
 * @param {BoardEvents[K]} payload
 */
export function emit(name, payload) {
  for (const listener of /** @type {Array<(payload: BoardEvents[K]) => void>} */ (listeners[name] ?? []))
    listener(payload);
}
