// @ts-check
// The store panels (failover incidents, outbox, bulk jobs, audit) and the health pills, read
// every few seconds; the incidents also decide what needs attention on the cards.
/** @import { ConsentAnswer, IncidentsAnswer } from "../answers/panels.ts" */
/** @import { Child } from "./dom.js" */
import { getJson } from "./api.js";
import { concerns, openIncident, renderAttention } from "./attention.js";
import { refreshAutopilot } from "./autopilot.js";
import { renderMeta, sortCards } from "./cards.js";
import { $, el, pill } from "./dom.js";
import { emit } from "./events.js";
import { age, integer, percent, timeElement } from "./format.js";
import { explain } from "./glossary.js";
import { campaignLabel, serverNow, state } from "./state.js";

// ---- store panels --------------------------------------------------------------------------
/**
 * A panel's rows, or one row saying there are none.
 * @param {string} id
 * @param {HTMLElement[]} rows
 * @param {string} emptyText
 */
function fillTable(id, rows, emptyText) {
  const body = /** @type {HTMLTableSectionElement} */ ($(id).querySelector("tbody"));
  const columns = $(id).querySelectorAll("thead th").length;
  if (rows.length === 0) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: String(columns), class: "empty" }, emptyText)));
    return;
  }
  body.replaceChildren(...rows);
}
const td = (/** @type {Child | Child[]} */ content, /** @type {string} */ cls = "") =>
  el("td", cls ? { class: cls } : {}, content);

async function refreshOutbox() {
  const { destinations } = await getJson("/api/outbox");
  state.outbox = destinations;
  fillTable(
    "outbox",
    destinations.map((d) => {
      // Only what needs action is red: dead events. A destination nobody configured is
      // information (its events wait, harmlessly, for when it is).
      const cls = d.dead > 0 ? "bad" : d.configured ? "" : "info";
      return el(
        "tr",
        { class: cls, "data-destination": d.destination },
        d.configured
          ? td(d.destination)
          : el(
              "td",
              { "data-role": "unconfigured", title: d.note ?? "" },
              d.destination,
              el(
                "div",
                { class: "note" },
                d.pending > 0
                  ? `not configured: ${integer(d.pending)} event(s) kept for when it is`
                  : "not configured",
              ),
            ),
        td(integer(d.pending), "num"),
        td(integer(d.delivered), "num"),
        td(integer(d.dead), "num"),
        td(
          d.oldestPendingAgeMs === null || d.oldestPendingAgeMs === undefined
            ? "—"
            : age(d.oldestPendingAgeMs),
          "num",
        ),
      );
    }),
    "No webhook destinations configured.",
  );
  emit("outbox", destinations);
}

async function refreshJobs() {
  const { jobs } = await getJson("/api/jobs");
  fillTable(
    "jobs",
    jobs.map((j) =>
      el(
        "tr",
        j.rowsFailed > 0 ? { class: "warn" } : {},
        el(
          "td",
          {},
          `${j.kind} `,
          j.active
            ? pill("active", "running")
            : j.rowsFailed > 0
              ? pill("warn", "finished with failures")
              : pill("ok", "finished"),
        ),
        td(campaignLabel(j.campaignId)),
        td(integer(j.rowsDone), "num"),
        td(integer(j.rowsFailed), "num"),
        td([timeElement(j.lastAt), ` (row ${integer(j.lastRow)})`]),
      ),
    ),
    "No bulk job recorded lately.",
  );
}

// Caller-ID health (issue 66): numbers under watch or suspect at the leader's last daily check.
async function refreshCallerId() {
  const { numbers, checkedAt } = await getJson("/api/callerid");
  $("callerid-note").replaceChildren(
    checkedAt
      ? el(
          "span",
          {},
          "Checked ",
          timeElement(checkedAt),
          " · daily · answers ÷ what peer numbers got in the same hours",
        )
      : "Not checked yet: the service checks every campaign's numbers at start and daily.",
  );
  fillTable(
    "callerid",
    numbers.map((n) =>
      el(
        "tr",
        { class: n.status === "suspect" ? "bad" : "warn", "data-caller-id": n.callerId },
        el("td", {}, n.status === "suspect" ? pill("bad", "suspect") : pill("warn", "watch")),
        td(n.carrier ? `${n.callerId} (${n.carrier})` : n.callerId),
        td(campaignLabel(n.campaignId)),
        td(n.ratio.toFixed(2), "num"),
        td(`${percent(n.answerRate)} of ${percent(n.expectedAnswerRate)}`, "num"),
        td(n.since ? timeElement(n.since) : "—"),
      ),
    ),
    "No number under watch or suspect.",
  );
}

// A skill edited after a cxo push in a way that lets CXone dial what the push did not count: on
// "Needs attention" until the watch has put it back or taken the push's records out.
async function refreshSkillDrift() {
  state.skillDrift = (await getJson("/api/skill-drift")).drifts;
  renderAttention();
}

/**
 * The consent panel's figures, each [term, value, class].
 * @returns {Array<[string, Child, string]>}
 */
function consentFigures(/** @type {ConsentAnswer} */ c) {
  return [
    ["revocations today", integer(c.today), ""],
    ["overdue", integer(c.overdue), c.overdue > 0 ? "bad" : ""],
    [
      "honoured in CXone",
      c.group === null
        ? `no consent group${c.awaitingCxone > 0 ? ` · ${integer(c.awaitingCxone)} waiting` : ""}`
        : c.lag.entries === 0
          ? `none in 7 days${c.awaitingCxone > 0 ? ` · ${integer(c.awaitingCxone)} waiting` : ""}`
          : `p50 ${c.lag.p50Minutes} min · max ${c.lag.maxMinutes} min${c.awaitingCxone > 0 ? ` · ${integer(c.awaitingCxone)} waiting` : ""}`,
      c.awaitingCxone > 0 ? "warn" : "",
    ],
    [
      "messages in review",
      c.review.overdue > 0
        ? `${integer(c.review.waiting)} · ${integer(c.review.overdue)} overdue`
        : integer(c.review.waiting),
      c.review.overdue > 0 ? "bad" : c.review.waiting > 0 ? "warn" : "",
    ],
    [
      "DNC copy",
      c.dncCopy === null
        ? "no DNC groups on this platform"
        : c.dncCopy.syncedAt === null
          ? "never synced"
          : `${integer(c.dncCopy.ageMinutes ?? 0)} min old (max ${c.dncCopy.maxAgeMinutes})`,
      c.dncCopy?.stale ? "warn" : "",
    ],
  ];
}

/** The figures as the panel's tiles, each explained by the glossary. */
function renderConsentFigures(/** @type {Array<[string, Child, string]>} */ figures) {
  $("consent-figures").replaceChildren(
    ...figures.map(([term, value, cls]) => {
      const node = el(
        "div",
        // A figure in words (no group, never synced) is set smaller than a count.
        {
          class: ["figure", cls, typeof value === "string" && !/^\d/.test(value) ? "text" : ""]
            .filter(Boolean)
            .join(" "),
          "data-figure": term,
        },
        el("div", { class: "value" }, value),
        el("div", { class: "label" }, term),
      );
      explain(node, term);
      return node;
    }),
  );
}

/** What else keeps a revoked number callable: a list CXone did not clear, a callback not deleted. */
function consentExtraGaps(/** @type {ConsentAnswer} */ c) {
  // A pushed list still holding numbers CXone did not take out is a gap of the same kind: CXone
  // can dial a number that may no longer be called (strategy push stops until it is out).
  const notRemoved = c.notRemoved.map((n) => ({
    skill: n.campaignId ?? "?",
    reason: `list ${n.listId} "${n.listName}" still holds ${n.records.length} record(s) CXone did not take out (${n.records.join(", ")}); their plan pushes nothing more until they are out`,
  }));
  // A scheduled callback to a revoked number the service could not delete is a call CXone will
  // still place: as urgent as a coverage gap, and listed with them under its skill.
  const sweep = c.callbacks;
  const callbacks = sweep?.unread
    ? [
        {
          skill: "?",
          reason: `scheduled callbacks could not be read (${sweep.unread}): those to revoked numbers are not known to be deleted`,
        },
      ]
    : (sweep?.failed ?? []).map((f) => ({
        skill: f.skillId ?? "?",
        reason: `scheduled callback ${f.callbackId} to ${f.phone}${f.callbackAt ? ` at ${f.callbackAt}` : ""} NOT deleted (${f.error}); the number revoked consent`,
      }));
  return [...notRemoved, ...callbacks];
}

/** What the report finds over 30 days, every row of it (not only the newest by receipt). */
function renderConsentFindings(/** @type {ConsentAnswer} */ c) {
  $("consent-findings").replaceChildren(
    ...(c.findings?.rows ?? []).map((f) =>
      el(
        "li",
        { class: "bad", "data-finding": f.late ? "late" : f.overdue ? "overdue" : "called-after" },
        timeElement(f.receivedAt),
        ` ${f.phone || `every number of account ${f.account ?? "?"}`}: `,
        [
          f.late ? "honoured late" : "",
          f.overdue ? "overdue" : "",
          f.callsAfter > 0 ? `${integer(f.callsAfter)} call(s) after it` : "",
        ]
          .filter(Boolean)
          .join(" · "),
      ),
    ),
  );
}

/** The newest revocations and whether CXone honours them. */
function renderConsentRecent(/** @type {ConsentAnswer} */ c) {
  fillTable(
    "consent",
    c.recent.map((r) =>
      el(
        "tr",
        r.status === "overdue" ? { class: "bad" } : r.status === "awaiting-cxone" ? { class: "warn" } : {},
        td(timeElement(r.receivedAt)),
        td(
          r.account
            ? [r.phone || "every number", el("div", { class: "note" }, `account ${r.account}`)]
            : r.phone,
        ),
        td(r.channel),
        td(r.scope),
        td(
          r.status === "honoured"
            ? pill("ok", "honoured")
            : r.status === "overdue"
              ? pill("bad", "overdue")
              : pill("warn", "waiting for CXone"),
        ),
      ),
    ),
    "No revocation recorded.",
  );
}

// Consent (issue 77 §5): revocations today, overdue, the CXone group's lag, messages in review
// (issue 92 §3), the DNC copy's age, coverage gaps; numbers come masked to viewers from the server
// (last four digits).
async function refreshConsent() {
  const c = await getJson("/api/consent");
  renderConsentFigures(consentFigures(c));
  state.consent = {
    overdue: c.overdue,
    reviewOverdue: c.review.overdue,
    gaps: [...c.coverageGaps, ...consentExtraGaps(c)],
    late: c.findings?.late ?? 0,
    breached: c.findings?.breached ?? 0,
  };
  renderAttention();
  renderConsentFindings(c);
  $("consent-gaps").replaceChildren(
    ...state.consent.gaps.map((g) =>
      el("li", { class: "bad", "data-skill": g.skill }, `Skill ${g.skill}: ${g.reason}`),
    ),
  );
  renderConsentRecent(c);
}

async function refreshAudit() {
  const { records } = await getJson("/api/audit", { query: "?limit=15" });
  fillTable(
    "audit",
    records.map((r) =>
      el(
        "tr",
        r.outcome === "done" ? {} : { class: "warn" },
        td(r.seq, "num"),
        td(timeElement(r.time)),
        td(r.actor ?? "—"),
        // Pause and resume are one operation: the transition says which (paused → active).
        td(r.change ? [r.change, el("div", { class: "note" }, r.operation)] : r.operation),
        td(r.target && state.campaigns.has(r.target) ? campaignLabel(r.target) : (r.target ?? "—")),
        td(r.outcome),
        td(r.status ?? "—", "num"),
        td(r.latencyMs === null ? "—" : `${r.latencyMs} ms`, "num"),
      ),
    ),
    "The audit log is empty.",
  );
}

/** What opened an incident, in words. */
function incidentWhat(/** @type {IncidentsAnswer["incidents"][number]} */ i) {
  if (i.trigger?.reason) return `${i.trigger.rule}: ${i.trigger.reason}`;
  if (i.trigger)
    return `success rate ${percent(i.trigger.successRate)} below ${percent(i.trigger.threshold)} (${i.trigger.breaches === 1 ? "1 reading" : `${i.trigger.breaches} readings in a row`})`;
  return "";
}

async function refreshIncidents() {
  const { available, incidents } = await getJson("/api/incidents");
  state.incidents = incidents;
  $("incidents-note").textContent = available ? "" : "Failover watchdogs are not available.";
  // Open incidents first, then the newest.
  const ordered = [...incidents].sort((a, b) => Number(openIncident(b)) - Number(openIncident(a)));
  fillTable(
    "incidents",
    ordered
      .slice(0, 20)
      .map((i) =>
        el(
          "tr",
          { class: openIncident(i) ? (i.acknowledged ? "warn" : "bad") : "", "data-incident": i.id },
          td(timeElement(i.openedAt)),
          td([campaignLabel(i.primary), " → ", campaignLabel(i.backup)]),
          td(incidentWhat(i)),
          td([
            pill(openIncident(i) ? "bad" : "unknown", i.phase),
            i.acknowledged ? el("div", { class: "note" }, `acknowledged by ${i.acknowledged.by}`) : null,
            i.closedBy ? el("div", { class: "note" }, `closed by ${i.closedBy}`) : null,
          ]),
          el("td", { class: "row-actions", "data-role": "incident-actions" }),
        ),
      ),
    "No failover so far.",
  );
  emit("incidents", incidents);
}

/**
 * @param {string} id
 * @param {string} cls
 * @param {string} text
 */
export function setPill(id, cls, text) {
  const node = $(id);
  node.className = `pill pill-${cls}`;
  node.textContent = text;
}

async function refreshHealth() {
  try {
    const health = await getJson("/api/health");
    setPill("health-service", health.store.ok ? "ok" : "bad", health.store.ok ? "service ok" : "store error");
    const c = health.cxone;
    if (!c.configured) setPill("health-cxone", "unknown", "CXone not configured");
    else if (c.reachable === false)
      setPill("health-cxone", "bad", `CXone unreachable (${c.lastNetworkError})`);
    else if (c.token.state === "refused")
      setPill("health-cxone", "bad", "CXone refused the login: check the credentials");
    else if (c.reachable === true) setPill("health-cxone", "ok", `CXone ok · token ${c.token.state}`);
    else setPill("health-cxone", "unknown", "CXone not contacted yet");
  } catch {
    setPill("health-service", "bad", "service unreachable");
  }
}

export async function refreshPanels() {
  await Promise.allSettled([
    refreshHealth(),
    refreshOutbox(),
    refreshJobs(),
    refreshCallerId(),
    refreshConsent(),
    refreshSkillDrift(),
    refreshAutopilot(),
    refreshAudit(),
    refreshIncidents(),
  ]);
  for (const campaign of state.campaigns.values()) {
    const card = state.cards.get(campaign.id);
    if (card) {
      renderMeta(card, campaign);
      const worries = concerns(campaign);
      card.concernsBox.replaceChildren(...worries.map((c) => el("li", { class: c.level }, c.text)));
    }
  }
  renderAttention();
  sortCards();
  $("updated").replaceChildren(timeElement(new Date(serverNow()).toISOString()));
}
