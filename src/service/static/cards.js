// @ts-check
// The campaign cards: what each campaign does now, with its figures and charts, sorted worst
// first. What needs attention is attention.js's (the cards show and sort by its concerns); the
// pacing block, what the pacing automation did and why, is pacing-line.js's.
/** @import { CampaignAnswer, IdleAnswer, LiveAnswer, MetricPoint, RateAnswer } from "../answers/board.ts" */
/** @import { Chart, Column } from "./charts.js" */
import { cardAnchor, concerns, renderAttention } from "./attention.js";
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
import { age, countText, integer, percent, timeElement, windowName } from "./format.js";
import { explain } from "./glossary.js";
import { renderPacing } from "./pacing-line.js";
import { campaignName, serverNow, state } from "./state.js";

const MAX_POINTS = 720;

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
      id: cardAnchor(campaign.id),
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
  // "Needs attention" says what the card says as soon as the card says it: the panels' own refresh
  // waits on every panel's answer (a slow one held the list empty beside a card's concern).
  const said = worries.map((c) => `${c.level} ${c.text}`).join("\n");
  if (card.node.dataset.concernsSaid !== said) {
    card.node.dataset.concernsSaid = said;
    renderAttention();
  }

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
