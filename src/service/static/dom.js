// @ts-check
// DOM helpers of the board: one way to build an element, a status pill, an element by id.

/** The element with this id (the page's own markup has every id the scripts use). */
export const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @typedef {Node | string | number | null | undefined | false} Child
 * @param {string} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = String(value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat())
    if (child !== null && child !== undefined && child !== false)
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

/**
 * A small coloured label: `cls` picks the colour (ok, warn, bad, paused, …).
 * @param {string} cls
 * @param {string} text
 * @param {string} [title]
 */
export const pill = (cls, text, title) => el("span", { class: `pill pill-${cls}`, title }, text);

/**
 * A `cxo …` command with its flags, as it appears in a sentence the board shows ("resume by
 * hand: cxo autopilot resume --campaign 703"). A sentence whose subject is cxo ("cxo puts the
 * retry settings back") names no flag and is not one.
 */
const COMMAND = /cxo(?: [a-z][\w-]*)+(?: --[a-z][\w-]*(?: [^\s()—-][^\s()—]*)?)+/g;

/**
 * The text with each `cxo` command in it set as code that does not wrap: a command broken
 * after its `--` ("resume --" / "campaign 703") reads as two, and is copied wrong.
 * @param {string} text
 * @returns {(string | HTMLElement)[]}
 */
export function withCommands(text) {
  /** @type {(string | HTMLElement)[]} */
  const parts = [];
  let from = 0;
  for (const match of text.matchAll(COMMAND)) {
    parts.push(text.slice(from, match.index), el("code", { class: "command" }, match[0]));
    from = match.index + match[0].length;
  }
  parts.push(text.slice(from));
  return parts.filter((part) => part !== "");
}
