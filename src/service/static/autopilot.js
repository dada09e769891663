// @ts-check
// The autopilot (issue 91 §2): each campaign's last and next step, the day so far, and the last
// days' reports — what it planned, pushed, what CXone dialled and a person answered, what it held
// or was refused and why, the revocations of the day, drifts and its own interventions. A
// campaign it stopped, or whose failure has lasted past escalateAfterMinutes, is also on "Needs
// attention" (attention.js reads state.autopilotStopped and state.autopilotAttention).
/** @import { AutopilotAnswer } from "../answers/panels.ts" */
import { getJson } from "./api.js";
import { $, el, pill, withCommands } from "./dom.js";
import { integer, percent, timeElement } from "./format.js";
import { campaignLabel, state } from "./state.js";

const td = (/** @type {import("./dom.js").Child | import("./dom.js").Child[]} */ content, cls = "") =>
  el("td", cls ? { class: cls } : {}, content);

/**
 * @param {string} id
 * @param {HTMLElement[]} rows
 * @param {string} emptyText
 */
function fill(id, rows, emptyText) {
  const body = /** @type {HTMLTableSectionElement} */ ($(id).querySelector("tbody"));
  const columns = $(id).querySelectorAll("thead th").length;
  body.replaceChildren(
    ...(rows.length > 0
      ? rows
      : [el("tr", {}, el("td", { colspan: String(columns), class: "empty" }, emptyText))]),
  );
}

/** @param {AutopilotAnswer["campaigns"][number]} c */
function campaignRow(c) {
  const status =
    c.state === "stopped"
      ? pill("bad", "stopped", c.stopped?.reason)
      : c.attention
        ? pill(
            "bad",
            "needs attention",
            `${c.attention.step} failing since ${c.attention.since}: ${c.attention.text}`,
          )
        : c.lastStep && !c.lastStep.ok
          ? pill("warn", "retrying", c.lastStep.text)
          : pill("ok", "running");
  const today = c.today
    ? `${integer(c.today.planned)} planned · ${integer(c.today.pushed)} pushed · ${integer(c.today.heldWaiting)} held · ${integer(c.today.refused)} refused`
    : "nothing yet today";
  return el(
    "tr",
    { "data-autopilot": c.campaign, class: c.state === "stopped" || c.attention ? "bad" : "" },
    td(campaignLabel(c.campaign)),
    td([status, ` ${c.kind}`]),
    td(c.lastStep ? [timeElement(c.lastStep.at), ` ${c.lastStep.step}: ${c.lastStep.text}`] : "—"),
    td(c.next.at ? [timeElement(c.next.at), ` ${nextWords(c.next.text)}`] : withCommands(c.next.text)),
    td(today),
  );
}

/**
 * The next step in the words a person acts on ("plan and push", "push 3 planned attempt(s)"),
 * its instant shown beside it by the board's own time element rather than as ISO text.
 */
function nextWords(/** @type {string} */ text) {
  return text.replace(/ at \d{4}-\d\d-\d\dT\S+$/, "");
}

/** @param {AutopilotAnswer["reports"][number]} r */
function reportRow(r) {
  const v = r.revocations;
  const reached = r.pushed === 0 ? "—" : percent(r.recordsReached / r.pushed, 0);
  const held = `${r.held.total === 0 ? "0 held" : `${integer(r.held.total)} held (${integer(r.held.replanned)} re-planned, ${integer(r.held.dropped)} not called)`} · ${integer(r.refused.length)} refused`;
  const revocations = v.unknown
    ? `unknown: ${v.unknown}`
    : `${integer(v.received)} received${v.late > 0 ? ` · ${integer(v.late)} late` : ""}${v.overdue > 0 ? ` · ${integer(v.overdue)} overdue` : ""}${v.callsAfter > 0 ? ` · ${integer(v.callsAfter)} called after` : ""}${v.lagMinutes.max === null ? "" : ` · max ${v.lagMinutes.max} min to CXone`}`;
  const bad = v.callsAfter > 0 || v.overdue > 0 || v.unknown !== undefined || r.stopped !== undefined;
  return el(
    "tr",
    { "data-report": `${r.campaign}@${r.date}`, class: bad ? "bad" : "" },
    td(r.date, "nowrap"),
    td(campaignLabel(r.campaign)),
    td(integer(r.planned), "num"),
    td(integer(r.pushed), "num"),
    td(integer(r.dialled), "num"),
    td(integer(r.answered), "num"),
    td(reached, "num"),
    td(held),
    td(revocations),
    td(
      [...r.drifts.map((d) => d.text), ...r.interventions.map((i) => i.text)].join("; ") ||
        (r.stopped ? `stopped: ${r.stopped.reason}` : "—"),
    ),
  );
}

export async function refreshAutopilot() {
  const answer = await getJson("/api/autopilot");
  $("autopilot-panel").hidden = !answer.configured;
  state.autopilotStopped = answer.campaigns
    .filter((c) => c.state === "stopped")
    .map((c) => ({ campaign: c.campaign, reason: c.stopped?.reason ?? "" }));
  state.autopilotAttention = answer.campaigns.flatMap((c) =>
    c.attention && c.state !== "stopped"
      ? [{ campaign: c.campaign, step: c.attention.step, since: c.attention.since, text: c.attention.text }]
      : [],
  );
  if (!answer.configured) return;
  fill("autopilot", answer.campaigns.map(campaignRow), "No campaign configured.");
  fill(
    "autopilot-reports",
    answer.reports.map(reportRow),
    "No day report yet: one is written at each campaign's evening.",
  );
}
