// @ts-check
// "Needs attention now": what needs an operator, worst first — a campaign's concerns (failed
// over, abandonment at or over its limit, no budget left, not dialing when it should) and the
// board-wide ones (unacknowledged incidents, dead events, consent, skill drift, the autopilot).
// The cards show the same concerns and sort by them (cards.js imports these, never the reverse).
/** @import { CampaignAnswer } from "../answers/board.ts" */
import { $, el, withCommands } from "./dom.js";
import { countText, integer, percent, timeElement, windowName } from "./format.js";
import { campaignLabel, campaignName, state, tenant } from "./state.js";

/**
 * What needs an operator on a campaign, worst first.
 * @typedef {{ level: "bad" | "warn", text: string }} Concern
 */

export const openIncident = (/** @type {{ phase: string }} */ i) => i.phase !== "closed";

/**
 * Why a campaign needs an operator now (empty: it does not). Worst first.
 * @param {CampaignAnswer} campaign
 * @returns {Concern[]}
 */
export function concerns(campaign) {
  /** @type {Concern[]} */
  const out = [];
  const incident = state.incidents.find(
    (i) => openIncident(i) && (i.primary === campaign.id || i.backup === campaign.id),
  );
  if (incident && incident.primary === campaign.id)
    out.push({ level: "bad", text: `failed over to ${campaignName(incident.backup)}` });
  else if (campaign.failoverTriggered) out.push({ level: "bad", text: "failover triggered" });
  // Only a rate judged on enough calls raises an alarm (rate-figures.ts): a 2-minute-old campaign's
  // 3.72 % on three live answers is shown, with its count, and raises nothing.
  for (const figure of campaign.rates ?? [])
    if (figure.alarm)
      out.push({
        level: "bad",
        text: `abandonment ${percent(figure.rate, 2)} (${figure.window}: ${countText(figure)}) at or over ${percent(figure.limit)}`,
      });
  if (campaign.pacing && campaign.pacing.budgetLeft <= 0)
    out.push({
      level: "bad",
      text: `no abandonment budget left in the ${windowName(campaign.pacing.window)}`,
    });
  const outside = campaign.pacing?.outside;
  if (outside)
    out.push({
      level: "warn",
      text: `changed outside the pacing loop: ${outside.inForce.toFixed(2)} in force, the loop last set ${outside.lastSet.toFixed(2)}${outside.action === "handed-over" ? " — the loop handed over and stopped" : " — the loop set its ratio again"}`,
    });
  if (campaign.pacing?.notPaced) out.push({ level: "warn", text: campaign.pacing.notPaced });
  if (campaign.lastError) out.push({ level: "warn", text: "CXone poll failing" });
  // Issue 65: an idle campaign that should be dialing (running, inside its window).
  const idle = campaign.idle;
  if (idle?.shouldDial && idle.cause)
    out.push({ level: "bad", text: `Not dialing: ${idle.cause.title} — ${idle.cause.fix}` });
  return out;
}

/** Failovers not acknowledged, each campaign's concerns and dead events: the floor's own items. */
function floorItems() {
  /** @type {HTMLElement[]} */
  const items = [];
  for (const incident of state.incidents.filter(openIncident))
    if (!incident.acknowledged)
      items.push(
        el(
          "li",
          { class: "bad" },
          el("a", { href: "#incidents-title" }, "Failover: "),
          campaignLabel(incident.primary),
          ` → `,
          campaignLabel(incident.backup),
          ` (${incident.phase}, opened `,
          timeElement(incident.openedAt),
          ") — not acknowledged",
        ),
      );
  for (const campaign of state.campaigns.values())
    for (const concern of concerns(campaign))
      if (!concern.text.startsWith("failed over"))
        items.push(
          el(
            "li",
            { class: concern.level },
            el("a", { href: `#${cardAnchor(campaign.id)}` }, campaignName(campaign.id)),
            `: ${concern.text}`,
          ),
        );
  const dead = state.outbox.reduce((n, d) => n + (d.dead || 0), 0);
  if (dead > 0)
    items.push(
      el(
        "li",
        { class: "bad" },
        el("a", { href: "#outbox-title" }, "Outbox"),
        `: ${integer(dead)} dead event(s)`,
      ),
    );
  return items;
}

/** Revocations overdue or late, messages in review overdue and skills a revoked number can be dialled on. */
function consentItems() {
  /** @type {HTMLElement[]} */
  const items = [];
  /** @type {[kind: string, count: number, words: string][]} */
  const consentCounts = [
    // Consent (issue 77): a revocation past its legal deadline, and a skill CXone could dial a
    // revoked number on, are as urgent as a dead event.
    [
      "overdue",
      state.consent.overdue,
      "revocation(s) overdue — not yet honoured where they must be, past their legal deadline",
    ],
    // Unclear words of an inbound message wait for a person against a revocation's deadline (issue 92 §3).
    [
      "review-overdue",
      state.consent.reviewOverdue,
      "message(s) in review overdue — words a person must read (cxo consent review --decide), past the deadline a revocation received then would have",
    ],
    // What the consent report finds over 30 days (the service runs it): honoured late, or called after.
    ["late", state.consent.late, "revocation(s) honoured late — after their legal deadline (last 30 days)"],
    [
      "called-after",
      state.consent.breached,
      "revocation(s) with calls after them — a breach to look into (cxo consent report)",
    ],
  ];
  for (const [kind, count, words] of consentCounts)
    if (count > 0) items.push(consentItem(kind, `${integer(count)} ${words}`));
  for (const gap of state.consent.gaps)
    items.push(consentItem("gap", `skill ${gap.skill}: ${gap.reason}`, { "data-skill": gap.skill }));
  return items;
}

/** Skills changed after cxo's push, and autopilot campaigns stopped or failing. */
function driftAndAutopilotItems() {
  /** @type {HTMLElement[]} */
  const items = [];
  for (const drift of state.skillDrift)
    items.push(
      el(
        "li",
        { class: "bad", "data-skill-drift": drift.skill },
        // A skill is a campaign on CXone: its name where the board knows it, the id on hover.
        el(
          "a",
          { href: "#attention-title", title: `skill id ${drift.skill}` },
          state.campaigns.get(drift.skill)?.name || `Skill ${drift.skill}`,
        ),
        `: changed after cxo's push (${drift.text}) — ${
          drift.action === "restore-retry"
            ? "cxo puts the retry settings back"
            : "cxo takes the push's records out of its lists"
        }`,
      ),
    );
  for (const stopped of state.autopilotStopped)
    items.push(
      autopilotItem(
        "data-autopilot-stopped",
        stopped.campaign,
        ...withCommands(` stopped — ${stopped.reason} (cxo autopilot resume --campaign ${stopped.campaign})`),
      ),
    );
  for (const open of state.autopilotAttention)
    items.push(
      autopilotItem(
        "data-autopilot-attention",
        open.campaign,
        ` — ${open.step} has failed since `,
        timeElement(open.since),
        ` (${open.text}); the autopilot keeps trying, a person should look`,
      ),
    );
  return items;
}

/**
 * An autopilot item: its mark (`attribute` = the campaign), the link to the panel, the campaign,
 * then what it says.
 * @param {string} attribute
 * @param {string} campaign
 * @param {...(Node | string)} says
 * @returns {HTMLElement}
 */
function autopilotItem(attribute, campaign, ...says) {
  return el(
    "li",
    { class: "bad", [attribute]: campaign },
    el("a", { href: "#autopilot-title" }, "Autopilot"),
    ": ",
    campaignLabel(campaign),
    ...says,
  );
}

export function renderAttention() {
  const items = [...floorItems(), ...consentItems(), ...driftAndAutopilotItems()];
  // A service for several business units: every item says whose it is, and the user's other
  // business units' open incidents and dead events are listed too (tenants.js), with a link.
  if (tenant !== null) for (const item of items) item.prepend(tenantTag(tenant));
  for (const other of state.elsewhere)
    items.push(
      el(
        "li",
        { class: other.level, "data-tenant": other.tenant },
        tenantTag(other.tenant),
        el("a", { href: `${other.path}#attention-title` }, other.text),
      ),
    );
  const list = $("attention-list");
  list.replaceChildren(...items);
  $("attention-none").hidden = items.length > 0;
  $("attention").dataset.count = String(items.length);
}
/**
 * A consent item of the list: `kind` (its `data-consent`), what it says after "Consent: ", and
 * any other attributes.
 */
const consentItem = (
  /** @type {string} */ kind,
  /** @type {string} */ text,
  /** @type {Record<string, string>} */ attrs = {},
) =>
  el(
    "li",
    { class: "bad", "data-consent": kind, ...attrs },
    el("a", { href: "#consent-title" }, "Consent"),
    `: ${text}`,
  );
const tenantTag = (/** @type {string} */ name) =>
  el("span", { class: "tenant-tag", "data-role": "tenant" }, name);
/** The id of a campaign's card, the target of its link here (cards.js gives the card this id). */
export const cardAnchor = (/** @type {string} */ id) => `card-${id.replace(/[^A-Za-z0-9_-]/g, "_")}`;
