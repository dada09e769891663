// @ts-check
// The campaign cards and "Needs attention": what each campaign does now, worst first, with its
// figures, its charts, and what the pacing automation did and why.
/** @import { CampaignAnswer, IdleAnswer, LiveAnswer, MetricPoint, LedgerAnswer, PacingAnswer, RateAnswer } from "../answers/board.ts" */
/** @import { Chart, Column } from "./charts.js" */
import {
  abandonmentChart,
  insertPoint,
  joinColumns,
  LEGAL_LIMIT,
  ratioChart,
  successChart,
  withGaps,
} from "./charts.js";
import { $, el, pill } from "./dom.js";
import { emit } from "./events.js";
import { age, integer, percent, timeElement, windowName } from "./format.js";
import { explain } from "./glossary.js";
import { campaignLabel, campaignName, serverNow, state, tenant } from "./state.js";

const MAX_POINTS = 720;

/**
 * What needs an operator on a campaign, worst first.
 * @typedef {{ level: "bad" | "warn", text: string }} Concern
 */
/**
 * A figure of a card: its box, the value, what it is, a note under it.
 * @typedef {{ box: HTMLElement, value: HTMLElement, caption: HTMLElement, note: HTMLElement }} Figure
 */
/**
 * A campaign's card and the parts the page fills in.
 * @typedef {object} CardParts
 * @property {string} id
 * @property {boolean} paced
 * @property {HTMLElement} node
 * @property {HTMLElement} title
 * @property {HTMLElement} status
 * @property {HTMLElement} concernsBox
 * @property {Figure} success
 * @property {Figure} calls
 * @property {Figure} agents
 * @property {Figure} recent
 * @property {Figure} windowFigure
 * @property {HTMLElement} live
 * @property {HTMLElement} idle
 * @property {HTMLElement} pacing
 * @property {HTMLElement} meta
 * @property {HTMLElement} error
 * @property {HTMLElement} actions
 * @property {{ success: Chart, abandon: Chart, ratio: Chart | null }} charts
 */

// ---- what needs attention ----------------------------------------------------------------
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

/**
 * Issue 65: the diagnosis line of a card (why it is not dialing, when its list runs dry).
 * @param {IdleAnswer | null} idle
 */
function idleLine(idle) {
  if (!idle) return [];
  /** @type {Array<string | Node>} */
  const parts = [];
  if (idle.dialing) parts.push(`Dialing: ${integer(idle.dialableNow)} record(s) dialable now`);
  else if (idle.cause) parts.push(`Not dialing: ${idle.cause.title} — ${idle.cause.fix}`);
  if (idle.runsDryAt) parts.push(" · runs dry at ", timeElement(idle.runsDryAt));
  return parts;
}
const recentWindow = (/** @type {CampaignAnswer} */ campaign) =>
  campaign.lastSource === "webhook" ? "latest webhook" : "last hour";

/** Where a card sorts: needing attention first, then running, paused, the rest. */
function rank(/** @type {CampaignAnswer | undefined} */ campaign) {
  if (!campaign) return 4;
  const c = concerns(campaign);
  if (c.some((x) => x.level === "bad")) return 0;
  if (c.length > 0) return 1;
  if (campaign.status === "active") return 2;
  if (campaign.status === "paused") return 3;
  return 4;
}

export function renderAttention() {
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
            el("a", { href: `#card-${cssId(campaign.id)}` }, campaignName(campaign.id)),
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
  // Consent (issue 77): a revocation past its legal deadline, and a skill CXone could dial a
  // revoked number on, are as urgent as a dead event.
  if (state.consent.overdue > 0)
    items.push(
      el(
        "li",
        { class: "bad", "data-consent": "overdue" },
        el("a", { href: "#consent-title" }, "Consent"),
        `: ${integer(state.consent.overdue)} revocation(s) overdue — not yet honoured where they must be, past their legal deadline`,
      ),
    );
  // Unclear words of an inbound message wait for a person against a revocation's deadline (issue 92 §3).
  if (state.consent.reviewOverdue > 0)
    items.push(
      el(
        "li",
        { class: "bad", "data-consent": "review-overdue" },
        el("a", { href: "#consent-title" }, "Consent"),
        `: ${integer(state.consent.reviewOverdue)} message(s) in review overdue — words a person must read (cxo consent review --decide), past the deadline a revocation received then would have`,
      ),
    );
  // What the consent report finds over 30 days (the service runs it): honoured late, or called after.
  if (state.consent.late > 0)
    items.push(
      el(
        "li",
        { class: "bad", "data-consent": "late" },
        el("a", { href: "#consent-title" }, "Consent"),
        `: ${integer(state.consent.late)} revocation(s) honoured late — after their legal deadline (last 30 days)`,
      ),
    );
  if (state.consent.breached > 0)
    items.push(
      el(
        "li",
        { class: "bad", "data-consent": "called-after" },
        el("a", { href: "#consent-title" }, "Consent"),
        `: ${integer(state.consent.breached)} revocation(s) with calls after them — a breach to look into (cxo consent report)`,
      ),
    );
  for (const gap of state.consent.gaps)
    items.push(
      el(
        "li",
        { class: "bad", "data-consent": "gap", "data-skill": gap.skill },
        el("a", { href: "#consent-title" }, "Consent"),
        `: skill ${gap.skill}: ${gap.reason}`,
      ),
    );
  for (const drift of state.skillDrift)
    items.push(
      el(
        "li",
        { class: "bad", "data-skill-drift": drift.skill },
        el("a", { href: "#attention-title" }, `Skill ${drift.skill}`),
        `: changed after cxo's push (${drift.text}) — ${
          drift.action === "restore-retry"
            ? "cxo puts the retry settings back"
            : "cxo takes the push's records out of its lists"
        }`,
      ),
    );
  for (const stopped of state.autopilotStopped)
    items.push(
      el(
        "li",
        { class: "bad", "data-autopilot-stopped": stopped.campaign },
        el("a", { href: "#autopilot-title" }, "Autopilot"),
        ": ",
        campaignLabel(stopped.campaign),
        ` stopped — ${stopped.reason} (cxo autopilot resume --campaign ${stopped.campaign})`,
      ),
    );
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
const tenantTag = (/** @type {string} */ name) =>
  el("span", { class: "tenant-tag", "data-role": "tenant" }, name);
const cssId = (/** @type {string} */ id) => id.replace(/[^A-Za-z0-9_-]/g, "_");

// ---- campaign cards ----------------------------------------------------------------------
/**
 * @param {string} role
 * @param {string} label
 * @returns {Figure}
 */
function figure(role, label, term = label) {
  const value = el("div", { class: "value", "data-role": role }, "—");
  const caption = el("div", { class: "label" }, label);
  const note = el("div", { class: "figure-note", "data-role": `${role}-note` });
  const box = el("div", { class: "figure", "data-role": `${role}-figure` }, value, caption, note);
  explain(box, term);
  return { box, value, caption, note };
}

/** "3 of 81 live answers", or why there is no count. */
function countText(/** @type {RateAnswer} */ rate) {
  return rate.count
    ? `${integer(rate.count.of)} of ${integer(rate.count.per)} ${rate.count.unit}`
    : "count not reported by CXone";
}

function chartBlock(/** @type {string} */ title, /** @type {string} */ role) {
  const box = el("div", { class: "chart", "data-role": role });
  const legend = el("div", { class: "legend" });
  return { block: el("div", { class: "chart-block" }, el("h4", {}, title), box, legend), box, legend };
}

/**
 * The campaign's card, made (or made again, when it became paced or stopped being) on first use.
 * @param {CampaignAnswer} campaign
 * @returns {CardParts}
 */
function ensureCard(campaign) {
  let card = state.cards.get(campaign.id);
  const pacing = campaign.pacing;
  const paced = pacing !== null;
  if (card && card.paced === paced) return card;
  if (card) destroyCard(campaign.id);
  const success = figure("success", "success rate");
  const calls = figure("calls", "active calls");
  const agents = figure("agents", "agents working / logged in");
  const recent = figure("abandon", "abandonment, last hour");
  const windowFigure = figure("abandon-window", "abandonment", "abandonment, pacing window");
  const title = el("h3", { class: "card-title", "data-role": "name" });
  const status = el("span", { class: "card-status", "data-role": "status" });
  const concernsBox = el("ul", { class: "concerns", "data-role": "concerns" });
  const live = el("div", { class: "meta", "data-role": "live" });
  const idle = el("div", { class: "meta", "data-role": "idle" });
  const pacingBox = el("div", { class: "pacing", "data-role": "pacing", hidden: !paced });
  const meta = el("div", { class: "meta", "data-role": "meta" }, "waiting for metrics…");
  const error = el("div", { class: "error", "data-role": "error" });
  const actions = el("div", { class: "actions", "data-role": "actions" });
  const successBlock = chartBlock("Success rate and active calls", "chart");
  const abandonBlock = chartBlock("Abandonment", "chart-abandonment");
  const ratioBlock = pacing
    ? chartBlock(pacing.mode === "guard" ? "Maximum dial ratio" : "Dial ratio", "chart-ratio")
    : null;
  const node = el(
    "article",
    {
      class: "card",
      id: `card-${cssId(campaign.id)}`,
      "data-campaign": campaign.id,
      "data-paced": paced ? "yes" : "no",
    },
    el("div", { class: "card-head" }, title, status),
    concernsBox,
    el(
      "div",
      { class: "figures" },
      success.box,
      calls.box,
      agents.box,
      recent.box,
      paced ? windowFigure.box : null,
    ),
    live,
    idle,
    pacingBox,
    successBlock.block,
    abandonBlock.block,
    ratioBlock?.block,
    meta,
    error,
    actions,
  );
  $("campaigns").append(node);
  card = {
    id: campaign.id,
    paced,
    node,
    title,
    status,
    concernsBox,
    success,
    calls,
    agents,
    recent,
    windowFigure,
    live,
    idle,
    pacing: pacingBox,
    meta,
    error,
    actions,
    charts: {
      success: successChart(successBlock.box, successBlock.legend),
      abandon: abandonmentChart(abandonBlock.box, abandonBlock.legend, {
        paced,
        windowLabel: pacing ? windowName(pacing.window) : "",
        target: pacing?.target ?? null,
        recentLabel: recentWindow(campaign),
      }),
      ratio:
        ratioBlock && pacing
          ? ratioChart(ratioBlock.box, ratioBlock.legend, {
              label: pacing.mode === "guard" ? "Maximum ratio" : "Dial ratio",
            })
          : null,
    },
  };
  state.cards.set(campaign.id, card);
  return card;
}

function destroyCard(/** @type {string} */ id) {
  const card = state.cards.get(id);
  if (!card) return;
  for (const chart of Object.values(card.charts)) chart?.destroy();
  card.node.remove();
  state.cards.delete(id);
}

/**
 * Draws a campaign's card as the server sent it (the first picture, or an event of the stream).
 * @param {CampaignAnswer} campaign
 */
export function renderCampaign(campaign) {
  state.campaigns.set(campaign.id, campaign);
  const card = ensureCard(campaign);
  card.title.textContent = campaign.name || campaign.id;
  card.title.title = `campaign id ${campaign.id}`;
  const status = campaign.status || "unknown";
  card.status.replaceChildren(
    pill(status === "unknown" ? "unknown" : status, status === "unknown" ? "state not read yet" : status),
  );
  const worries = concerns(campaign);
  card.concernsBox.replaceChildren(...worries.map((c) => el("li", { class: c.level }, c.text)));
  card.node.dataset.attention = worries.some((c) => c.level === "bad")
    ? "bad"
    : worries.length
      ? "warn"
      : "none";

  /** @type {Map<RateAnswer["id"], RateAnswer>} */
  const rates = new Map((campaign.rates ?? []).map((r) => [r.id, r]));
  setRateFigure(card.success, rates.get("success"), "success rate", "success rate", 1);
  card.calls.value.textContent = integer(campaign.activeCalls);
  const live = campaign.live;
  const working = live?.agentsWorking;
  const logged = live?.agentsLoggedIn;
  card.agents.box.hidden = logged === undefined || logged === null;
  card.agents.value.textContent = `${integer(working ?? null)} / ${integer(logged ?? null)}`;

  const recent = rates.get("abandonment-recent");
  setRateFigure(
    card.recent,
    recent,
    recent?.label ?? "abandonment, last hour",
    recent?.window === "latest webhook" ? "abandonment, latest webhook" : "abandonment, last hour",
  );
  if (card.paced) {
    const inWindow = rates.get("abandonment-window");
    setRateFigure(
      card.windowFigure,
      inWindow,
      inWindow?.label ?? "abandonment",
      "abandonment, pacing window",
    );
  }
  card.live.replaceChildren(...liveLine(live));
  card.idle.replaceChildren(...idleLine(campaign.idle));
  renderPacing(card.pacing, campaign.pacing);
  renderMeta(card, campaign);
  card.error.textContent = campaign.lastError ? `Last poll of CXone failed: ${campaign.lastError}` : "";
  card.node.dataset.successRate = campaign.successRate === null ? "" : String(campaign.successRate);
  drawCharts(campaign.id);
  emit("campaign", { campaign, card });
}

/**
 * One rate on a card: the value, or "too few calls (n)" under the minimum sample; its counts and
 * definition on hover; red or amber only when it rests on enough calls; and, when another window
 * says the opposite, why (rate-figures.ts).
 * @param {Figure} fig
 * @param {RateAnswer | undefined} rate
 * @param {string} label
 * @param {string} term
 */
function setRateFigure(fig, rate, label, term, digits = 2) {
  const value = rate?.rate;
  const none = rate === undefined || value === null || value === undefined;
  fig.caption.textContent = label;
  fig.box.dataset.sample = rate?.sample ?? "none";
  fig.note.textContent = rate?.differsFrom ?? "";
  if (none) {
    fig.value.textContent = term === "success rate" ? "n/a" : "none reported";
    fig.value.classList.toggle("small", true);
    explain(
      fig.box,
      term,
      term === "success rate" ? "No completed call in the window yet." : "Not reported.",
    );
    fig.box.classList.toggle("bad", false);
    fig.box.classList.toggle("warn", false);
    return;
  }
  const tooFew = rate.sample === "too-few";
  fig.value.textContent = tooFew ? `too few calls (${integer(rate.count?.per)})` : percent(value, digits);
  fig.value.classList.toggle("small", tooFew);
  const counts = `${percent(value, digits)}: ${countText(rate)}${tooFew ? `; fewer than ${rate.minimum} calls, so not judged` : rate.sample === "not-counted" && rate.limit !== null ? "; without a count it is not judged on its own" : ""}.`;
  explain(fig.box, term, counts);
  const limit = rate.limit;
  const judged = limit !== null && rate.sample === "enough";
  // A rate without its count at or over the limit catches the eye (amber) but is not an alarm.
  const uncountedOver = limit !== null && rate.sample === "not-counted" && value >= limit;
  fig.box.classList.toggle("bad", judged && value >= limit);
  fig.box.classList.toggle("warn", (judged && value < limit && value >= 0.8 * limit) || uncountedOver);
}

/** The live figures the platform reported, and nothing for those it did not (no "n/r" noise). */
function liveLine(/** @type {LiveAnswer | null} */ live) {
  if (!live) return [];
  /** @type {string[]} */
  const parts = [];
  if (live.agentsInWrap !== undefined && live.agentsInWrap !== null)
    parts.push(`${integer(live.agentsInWrap)} in wrap-up`);
  if (live.agentsAvailable !== undefined && live.agentsAvailable !== null)
    parts.push(`${integer(live.agentsAvailable)} available`);
  if (live.contactsActive !== undefined && live.contactsActive !== null)
    parts.push(`${integer(live.contactsActive)} contacts active`);
  // The snapshot's field is `queued` (platform/ports/live.ts): `contactsQueued`, read here before
  // the page was typed from the server's answers, was never there, so queued contacts never showed.
  if (live.queued !== undefined && live.queued !== null) parts.push(`${integer(live.queued)} queued`);
  const today = live.today;
  if (today && today.connects !== undefined && today.connects !== null)
    parts.push(`${integer(today.connects)} connects today`);
  if (today && today.abandonRate !== undefined && today.abandonRate !== null)
    parts.push(
      `abandonment today ${percent(today.abandonRate, 2)}${today.abandons !== undefined && today.connects !== undefined ? ` (${integer(today.abandons)} of ${integer(today.connects)} connects)` : ""}`,
    );
  if (parts.length === 0) return [];
  const span = el("span", {}, `Live: ${parts.join(" · ")}`);
  explain(span, "live figures", `From ${live.source}${today?.source ? ` and ${today.source}` : ""}.`);
  return [span];
}

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
function renderPacing(box, pacing) {
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

/**
 * The card's last line: when the figures were read, and how old the live ones are.
 * @param {CardParts} card
 * @param {CampaignAnswer} campaign
 */
export function renderMeta(card, campaign) {
  /** @type {Array<string | Node>} */
  const parts = [];
  if (campaign.lastMetricUpdate) {
    const ms = serverNow() - Date.parse(campaign.lastMetricUpdate);
    const label = el("span", {}, "Last reading ");
    explain(label, "last reading");
    parts.push(
      label,
      timeElement(campaign.lastMetricUpdate),
      ` (${age(ms)} ago, ${campaign.lastSource === "webhook" ? "webhook" : "poll"})`,
    );
  } else parts.push("Waiting for the first reading…");
  if (campaign.live?.observedAt) {
    const ms = serverNow() - Date.parse(campaign.live.observedAt);
    parts.push(` · live figures ${age(ms)} old`);
  }
  card.meta.replaceChildren(...parts);
}

function drawCharts(/** @type {string} */ id) {
  const card = state.cards.get(id);
  const campaign = state.campaigns.get(id);
  if (!card || !campaign) return;
  const points = withGaps(state.series.get(id) ?? []);
  const xs = points.map((p) => p.t / 1000);
  card.charts.success.update([
    xs,
    points.map((p) => (p.successRate === null ? null : p.successRate * 100)),
    points.map((p) => p.activeCalls),
  ]);
  /** @type {Column[]} */
  const recent = [xs, points.map((p) => (p.abandonmentRate === null ? null : p.abandonmentRate * 100))];
  const history = campaign.pacing?.history ?? [];
  let table = recent;
  if (card.paced) {
    const hx = history.map((h) => h.t / 1000);
    table = joinColumns([recent, [hx, history.map((h) => h.abandonment * 100)]]);
  }
  const constant = (/** @type {number} */ value) => table[0].map(() => value);
  const columns = [...table, constant(LEGAL_LIMIT * 100)];
  const target = campaign.pacing?.target;
  if (card.paced && target !== undefined && Math.abs(target - LEGAL_LIMIT) > 1e-9)
    columns.push(constant(target * 100));
  card.charts.abandon.update(columns);
  if (card.charts.ratio) {
    const hx = history.map((h) => h.t / 1000);
    const cap = campaign.pacing?.cap;
    card.charts.ratio.update([hx, history.map((h) => h.ratio), hx.map(() => cap ?? null)]);
  }
}

export function sortCards() {
  const ordered = [...state.cards.values()].sort((a, b) => {
    const ca = state.campaigns.get(a.id);
    const cb = state.campaigns.get(b.id);
    return rank(ca) - rank(cb) || campaignName(a.id).localeCompare(campaignName(b.id), "en");
  });
  const box = $("campaigns");
  ordered.forEach((card, i) => {
    if (box.children[i] !== card.node) box.insertBefore(card.node, box.children[i] ?? null);
  });
}

/**
 * A reading from the event stream: into the campaign's series, in time order, and onto its charts.
 * @param {string} id
 * @param {MetricPoint} point
 */
export function pushPoint(id, point) {
  state.series.set(id, insertPoint(state.series.get(id) ?? [], point, MAX_POINTS));
  drawCharts(id);
}

export function removeCampaign(/** @type {string} */ id) {
  destroyCard(id);
  state.campaigns.delete(id);
  state.series.delete(id);
  $("campaigns-empty").hidden = state.cards.size > 0;
}
