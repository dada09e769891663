// @ts-check
// The pacing block of a paced campaign's card: the ratio in force and what the loop wishes, the
// window's abandonment budget, the legal figure from the abandonment ledger, and the latest
// decision in the loop's own words — each figure explained on hover.
/** @import { LedgerAnswer, PacingAnswer } from "../answers/board.ts" */
import { el, pill } from "./dom.js";
import { integer, percent, timeElement, windowName } from "./format.js";
import { explain } from "./glossary.js";

/**
 * The abandonment ledger's figure for the campaign's regime (issue 67): the rate with its 95%
 * interval, the regime's legal limit and the abandons the window can still take.
 * @param {LedgerAnswer | null | undefined} ledger
 * @returns {HTMLElement | null}
 */
function ledgerLine(ledger) {
  if (!ledger) return null;
  const over = ledger.rate !== null && ledger.rate > ledger.limit;
  const interval = ledger.interval95
    ? ` (95 %: ${percent(ledger.interval95[0], 2)} – ${percent(ledger.interval95[1], 2)})`
    : "";
  const people =
    ledger.estimatedPeople > 0
      ? `, incl. ${integer(Math.round(ledger.estimatedPeople))} hung up on as machines (estimate)`
      : "";
  const worst =
    ledger.worst && ledger.worst.rate > (ledger.rate ?? 0)
      ? el("span", { "data-role": "ledger-worst" }, `worst 24 h ${percent(ledger.worst.rate, 2)}`)
      : null;
  return el(
    "div",
    { class: "pacing-line ledger-line" },
    el(
      "span",
      { "data-role": "pacing-ledger", class: over ? "bad-text" : "" },
      `Legal figure, ${ledger.words}: ${percent(ledger.rate, 2)}${interval}${people}`,
    ),
    el("span", { "data-role": "ledger-limit" }, `limit ${percent(ledger.limit)}`),
    el(
      "span",
      { "data-role": "ledger-headroom", class: ledger.headroom <= 0 ? "bad-text" : "" },
      `headroom ${integer(Math.max(0, Math.floor(ledger.headroom)))} abandons`,
    ),
    worst,
  );
}

/**
 * The pacing line of a paced campaign's card: what is in force, what the loop wishes, the
 * window's budget, the latest decision.
 * @param {HTMLElement} box
 * @param {PacingAnswer | null} pacing
 */
export function renderPacing(box, pacing) {
  box.hidden = !pacing;
  if (!pacing) return;
  const guard = pacing.mode === "guard";
  box.dataset.mode = pacing.mode;
  box.dataset.ratio = pacing.ratio === null ? "" : String(pacing.ratio);
  box.dataset.budgetLeft = String(pacing.budgetLeft);
  box.dataset.atCap = pacing.atCap ? "yes" : "no";
  const ratio = pacing.ratio === null ? "—" : pacing.ratio.toFixed(2);
  const automation = pacing.automation;
  const held = automation?.state === "stopped";
  const wish = pacing.wish === null || pacing.wish === undefined ? null : pacing.wish;
  box.dataset.wish = wish === null ? "" : String(wish);
  const note = (/** @type {string} */ role, /** @type {string} */ cls, /** @type {string} */ text) =>
    el("p", { class: `pacing-note ${cls}`, "data-role": role }, text);
  const parts = [
    el(
      "div",
      { class: "pacing-line" },
      el("span", { class: "pacing-label" }, guard ? "Budget guard" : "Pacing"),
      pacing.notPaced
        ? pill("warn", "not paced", pacing.notPaced)
        : held
          ? pill("paused", "automation stopped", `stopped by ${automation?.by}`)
          : pill("ok", "automatic"),
      el(
        "span",
        {
          "data-role": "pacing-ratio",
          title: pacing.ratioReadAt ? "read back from CXone's dialer settings" : "",
        },
        `${guard ? "maximum ratio" : "ratio in force"} ${ratio}`,
        pacing.cap !== null && pacing.cap !== undefined ? ` of cap ${pacing.cap.toFixed(2)}` : "",
        " lines per agent",
      ),
      !guard && wish !== null && !held && !pacing.notPaced
        ? el("span", { "data-role": "pacing-wish", class: "wish" }, `the loop wishes ${wish.toFixed(2)}`)
        : null,
      pacing.atCap ? pill("warn", "at cap", "the controller would dial harder if the cap allowed it") : null,
      guard && pacing.abandonTarget !== null && pacing.abandonTarget !== undefined
        ? el(
            "span",
            { "data-role": "pacing-abandon-target" },
            `skill abandon target ${percent(pacing.abandonTarget)}`,
          )
        : null,
      el(
        "span",
        { "data-role": "pacing-target" },
        `target ${percent(pacing.target)} over the ${windowName(pacing.window)}`,
      ),
      el(
        "span",
        { "data-role": "pacing-budget", class: pacing.budgetLeft <= 0 ? "bad-text" : "" },
        `budget left ${integer(Math.max(0, Math.floor(pacing.budgetLeft)))} abandons (of ${integer(pacing.liveAnswers)} live answers)`,
      ),
    ),
    ledgerLine(pacing.ledger),
    pacing.notPaced ? note("pacing-not-paced", "warn-text", pacing.notPaced) : null,
    held && automation?.reason ? note("pacing-handover", "warn-text", automation.reason) : null,
    pacing.tenantWide && !pacing.notPaced
      ? note(
          "pacing-tenant-wide",
          "",
          "The seed API has one dialer for the whole tenant: this ratio is every campaign's, and one campaign is paced at a time.",
        )
      : null,
    el(
      "p",
      { class: "pacing-reason", "data-role": "pacing-reason" },
      el("strong", {}, "Latest decision "),
      timeElement(pacing.at),
      `: ${pacing.reason || "no decision yet"}`,
    ),
  ];
  box.replaceChildren(...parts.filter((part) => part !== null));
  // Every figure of the pacing line says what it is on hover (glossary.js).
  const terms = {
    "pacing-ratio": guard ? "maximum ratio" : "ratio in force",
    "pacing-wish": "loop wishes",
    "pacing-abandon-target": "skill abandon target",
    "pacing-target": "target",
    "pacing-budget": "budget left",
    "pacing-ledger": "legal figure",
    "pacing-reason": "latest decision",
  };
  for (const [role, term] of Object.entries(terms)) {
    const node = box.querySelector(`[data-role="${role}"]`);
    if (node instanceof HTMLElement) explain(node, term, node.title);
  }
}
