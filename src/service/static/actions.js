// @ts-check
// The operator's actions on the board: buttons only for an operator (a viewer sees none, and the
// API refuses them anyway); each asks for confirmation naming the campaign, sends ONE intent key
// minted when the dialog opens (a double click is the same intent, done once), and shows the
// outcome with the audit record it wrote.
/** @import { ActionOutcome } from "./session.js" */
import { getJson } from "./api.js";
import { $, el } from "./dom.js";
import { on } from "./events.js";
import { timeElement } from "./format.js";
import { act, canAct } from "./session.js";
import { campaignName, requestRefresh, state } from "./state.js";

const intentKey = () => crypto.randomUUID().replaceAll("-", "");

/** @type {HTMLDialogElement | undefined} */
let dialog;
function confirmDialog() {
  if (dialog) return dialog;
  const made = /** @type {HTMLDialogElement} */ (
    el(
      "dialog",
      { class: "confirm", "data-role": "confirm" },
      el("h3", { "data-role": "confirm-title" }),
      el("p", { "data-role": "confirm-text" }),
      el(
        "menu",
        {},
        el(
          "button",
          { class: "action", type: "button", value: "cancel", "data-role": "confirm-cancel" },
          "Cancel",
        ),
        el(
          "button",
          { class: "action primary", type: "button", value: "ok", "data-role": "confirm-ok" },
          "Confirm",
        ),
      ),
    )
  );
  document.body.append(made);
  dialog = made;
  return made;
}

/** A part of the confirmation dialog, by its role. */
const part = (/** @type {HTMLElement} */ d, /** @type {string} */ role) =>
  /** @type {HTMLButtonElement} */ (d.querySelector(`[data-role="${role}"]`));

/**
 * Asks, then runs the action once; resolves when it is done or cancelled.
 * @param {{ title: string, text: string, path: string, body?: Record<string, unknown>, done: string }} action
 */
function confirmAndRun({ title, text, path, body = {}, done }) {
  const d = confirmDialog();
  part(d, "confirm-title").textContent = title;
  part(d, "confirm-text").replaceChildren(text);
  const ok = part(d, "confirm-ok");
  const cancel = part(d, "confirm-cancel");
  const intent = intentKey();
  /** @type {ReturnType<typeof act> | null} */
  let sent = null;
  const finish = () => {
    ok.onclick = null;
    cancel.onclick = null;
    d.close();
  };
  cancel.onclick = finish;
  ok.onclick = async () => {
    // A second click while the first is on its way sends nothing more.
    sent ??= act(path, { ...body, intent });
    ok.disabled = true;
    try {
      const { status, body: answer } = await sent;
      toast(answer, status, done);
    } catch (error) {
      toast({ message: error instanceof Error ? error.message : String(error) }, 0, done);
    } finally {
      ok.disabled = false;
      finish();
      requestRefresh();
    }
  };
  d.showModal();
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let toastTimer;
/**
 * What the action did (or why not), for a while at the bottom of the page.
 * @param {ActionOutcome} answer
 * @param {number} status
 * @param {string} done
 */
function toast(answer, status, done) {
  const box = $("toast");
  box.hidden = false;
  box.className = answer.ok ? "toast" : "toast bad";
  box.dataset.status = String(status);
  box.dataset.auditSeq =
    answer.auditSeq === null || answer.auditSeq === undefined ? "" : String(answer.auditSeq);
  const audit = answer.auditSeq ? ` — audit record #${answer.auditSeq}` : "";
  box.textContent = answer.ok
    ? `${done}: ${answer.summary}${audit}${answer.replayed ? " (already done)" : ""}`
    : `${done} failed: ${answer.message || answer.rule || answer.error || `HTTP ${status}`}${audit}`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    box.hidden = true;
  }, 15000);
}

const quoted = (/** @type {string} */ id) => `“${campaignName(id)}”`;
const idNote = (/** @type {string} */ id) => (campaignName(id) === id ? "" : ` (id ${id})`);

/**
 * @param {string} label
 * @param {string} role
 * @param {() => void} onClick
 */
function button(label, role, onClick, cls = "action") {
  const b = el("button", { class: cls, type: "button", "data-action": role }, label);
  b.addEventListener("click", onClick);
  return b;
}

// ---- campaign cards ----------------------------------------------------------------------
on("campaign", ({ campaign, card }) => {
  if (!canAct()) {
    card.actions.replaceChildren();
    return;
  }
  const id = campaign.id;
  const buttons = [];
  if (campaign.status === "active" || campaign.status === "unknown")
    buttons.push(
      button("Pause campaign", "pause", () =>
        confirmAndRun({
          title: `Pause ${quoted(id)}?`,
          text: `The campaign ${quoted(id)}${idNote(id)} stops dialing until someone resumes it. Calls in progress finish.`,
          path: `/api/campaigns/${encodeURIComponent(id)}/pause`,
          done: `Pause ${quoted(id)}`,
        }),
      ),
    );
  if (campaign.status === "paused" || campaign.status === "stopped")
    buttons.push(
      button("Resume campaign", "resume", () =>
        confirmAndRun({
          title: `Resume ${quoted(id)}?`,
          text: `The campaign ${quoted(id)}${idNote(id)} starts dialing again.`,
          path: `/api/campaigns/${encodeURIComponent(id)}/resume`,
          done: `Resume ${quoted(id)}`,
        }),
      ),
    );
  const pacing = campaign.pacing;
  if (pacing) {
    const stopped = pacing.automation?.state === "stopped";
    buttons.push(
      stopped
        ? button("Resume pacing automation", "pacing-resume", () =>
            confirmAndRun({
              title: `Resume pacing automation for ${quoted(id)}?`,
              text: `The controller sets the dial ratio of ${quoted(id)} again, from the window's budget.`,
              path: `/api/campaigns/${encodeURIComponent(id)}/pacing/resume`,
              done: `Resume pacing of ${quoted(id)}`,
            }),
          )
        : button("Stop pacing automation", "pacing-stop", () =>
            confirmAndRun({
              title: `Stop pacing automation for ${quoted(id)}?`,
              text: `The dial ratio in force (${pacing.ratio?.toFixed(2) ?? "—"}) stays until someone changes it or resumes the automation.`,
              path: `/api/campaigns/${encodeURIComponent(id)}/pacing/stop`,
              done: `Stop pacing of ${quoted(id)}`,
            }),
          ),
    );
  }
  card.actions.replaceChildren(...buttons);
});

// ---- incidents ---------------------------------------------------------------------------
on("incidents", (incidents) => {
  for (const incident of incidents) {
    const cell = document.querySelector(
      `tr[data-incident="${CSS.escape(incident.id)}"] [data-role="incident-actions"]`,
    );
    if (!cell) continue;
    if (!canAct() || incident.phase === "closed") {
      cell.replaceChildren();
      continue;
    }
    const buttons = [];
    if (!incident.acknowledged)
      buttons.push(
        button("Acknowledge", "acknowledge", () =>
          confirmAndRun({
            title: `Acknowledge the failover of ${quoted(incident.primary)}?`,
            text: `Records that you are handling the failover of ${quoted(incident.primary)}${idNote(incident.primary)} to ${quoted(incident.backup)}. Nothing changes on CXone.`,
            path: `/api/incidents/${encodeURIComponent(incident.id)}/acknowledge`,
            done: `Acknowledge ${quoted(incident.primary)}`,
          }),
        ),
      );
    if (incident.phase === "failed-over")
      buttons.push(
        button(
          "Fail back",
          "fail-back",
          () =>
            confirmAndRun({
              title: `Fail back to ${quoted(incident.primary)}?`,
              text: `Pauses the backup ${quoted(incident.backup)}, then resumes ${quoted(incident.primary)}${idNote(incident.primary)}.`,
              path: `/api/incidents/${encodeURIComponent(incident.id)}/fail-back`,
              done: `Fail back to ${quoted(incident.primary)}`,
            }),
          "action danger",
        ),
      );
    cell.replaceChildren(...buttons);
  }
});

// ---- dead outbox events --------------------------------------------------------------------
on("outbox", (destinations) => void showDeadEvents(destinations.reduce((n, d) => n + (d.dead || 0), 0)));

/** The dead events, each with its replay button, while there are any. */
async function showDeadEvents(/** @type {number} */ dead) {
  const box = $("dead-events");
  if (dead === 0) {
    box.replaceChildren();
    return;
  }
  const answer = await getJson("/api/outbox/dead").catch(() => null);
  if (!answer) return;
  const { events } = answer;
  box.replaceChildren(
    el("h3", { class: "sub" }, "Dead events"),
    el(
      "table",
      { class: "table", id: "dead-table" },
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          el("th", {}, "Event"),
          el("th", {}, "Destination"),
          el("th", {}, "Last error"),
          el("th", {}, el("span", { class: "sr" }, "Actions")),
        ),
      ),
      el(
        "tbody",
        {},
        events.map((e) =>
          el(
            "tr",
            { "data-event": e.id },
            el("td", {}, e.type, el("div", { class: "note" }, e.id)),
            el("td", {}, e.destination),
            el(
              "td",
              {},
              e.lastError ?? (e.lastStatus ? `HTTP ${e.lastStatus}` : "—"),
              el("div", { class: "note" }, `${e.attempts} attempts, last `, timeElement(e.finishedAt)),
            ),
            el(
              "td",
              { class: "row-actions" },
              canAct()
                ? button("Replay", "replay", () =>
                    confirmAndRun({
                      title: `Replay ${e.type} to ${e.destination}?`,
                      text: `The event ${e.id} is queued again for ${e.destination} with a fresh attempt budget (the receiver sees the same webhook id).`,
                      path: `/api/outbox/events/${encodeURIComponent(e.id)}/replay`,
                      done: `Replay ${e.id}`,
                    }),
                  )
                : null,
            ),
          ),
        ),
      ),
    ),
  );
}

// ---- dialer settings versions ------------------------------------------------------------------
/** What a rollback does to a running pacing loop, said before it is confirmed (docs/pacing.md). */
function pacingNote() {
  const running = [...state.campaigns.values()].filter(
    (c) =>
      c.pacing && c.pacing.mode === "auto" && !c.pacing.notPaced && c.pacing.automation?.state !== "stopped",
  );
  if (running.length === 0) return "";
  const names = running.map((c) => c.name || c.id).join(", ");
  const reassert = running.some((c) => c.pacing?.onOutsideChange === "reassert");
  return reassert
    ? ` Pacing runs on ${names} with onOutsideChange: reassert: within one interval the loop sets its own ratio again.`
    : ` Pacing runs on ${names}: within one interval the loop sees a ratio it did not set, hands over and stops; resume it on the card to carry on from the restored ratio.`;
}

async function refreshDialer() {
  const answer = await getJson("/api/dialer/history").catch(() => null);
  if (!answer) return;
  const { versions } = answer;
  $("dialer").hidden = versions.length === 0;
  const seen = new Set();
  /** @type {HTMLElement[]} */
  const rows = [];
  // Newest first, one row per version.
  for (const v of [...versions].reverse()) {
    if (seen.has(v.versionTag)) continue;
    seen.add(v.versionTag);
    rows.push(
      el(
        "tr",
        { "data-version": v.versionTag },
        el("td", {}, v.versionTag),
        el("td", {}, timeElement(v.at)),
        el("td", {}, `${v.source}, ${v.outcome}`),
        el("td", {}, v.dialRatio === null ? "—" : `${Number(v.dialRatio).toFixed(2)} (${v.algorithm})`),
        el(
          "td",
          { class: "row-actions" },
          canAct() && rows.length > 0
            ? button("Roll back to this", "rollback", () =>
                confirmAndRun({
                  title: `Roll the dialer back to version ${v.versionTag}?`,
                  text: `The tenant's dialer settings become those of ${v.versionTag} (dial ratio ${v.dialRatio ?? "—"}), through the settings lifecycle: snapshot, change, wait, verify.${pacingNote()}`,
                  path: "/api/dialer/rollback",
                  body: { to: v.versionTag },
                  done: `Roll back to ${v.versionTag}`,
                }),
              )
            : null,
        ),
      ),
    );
  }
  $("dialer-history")
    .querySelector("tbody")
    ?.replaceChildren(...rows.slice(0, 10));
}
on("ready", () => {
  void refreshDialer();
  setInterval(() => void refreshDialer(), 15000);
});
