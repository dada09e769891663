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
