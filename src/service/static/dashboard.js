// The operator console: one fetch of /api/dashboard for the current picture, then server-sent
// events (/api/events) move the cards live; the store panels (incidents, outbox, jobs, audit)
// and health refresh every few seconds. Plain DOM and ES modules, no framework, no build step.
// The page answers an operator's questions in order: what needs me now (incidents, anything over
// the legal line), how each campaign is doing, what the automation did and why.
// @ts-check
/** @import { BoardEvent } from "../answers/board.ts" */
import "./actions.js";
import { getJson } from "./api.js";
import { pushPoint, removeCampaign, renderCampaign, sortCards } from "./cards.js";
import { $ } from "./dom.js";
import { emit, on } from "./events.js";
import { currentZone, setZone, zoneAbbreviation } from "./format.js";
import { refreshPanels, setPill } from "./panels.js";
import { session } from "./session.js";
import { apiPath, state } from "./state.js";
import { loadTenants } from "./tenants.js";

const REFRESH_MS = 5000;

async function loadDashboard() {
  const doc = await getJson("/api/dashboard");
  state.skewMs = Date.parse(doc.generatedAt) - Date.now();
  if (doc.timeZone) setZone(doc.timeZone);
  // "UTC (UTC)" says the zone twice: its short name only where it adds something ("EST").
  const short = zoneAbbreviation();
  $("zone-note").textContent =
    `Times in ${currentZone()}${short === currentZone() ? "" : ` (${short})`}; hover a time for UTC.`;
  for (const campaign of doc.campaigns) {
    state.series.set(campaign.id, campaign.series);
    renderCampaign(campaign);
  }
  $("campaigns-empty").hidden = doc.campaigns.length > 0;
  sortCards();
}

// ---- live stream -----------------------------------------------------------------------------
function connect() {
  const source = new EventSource(apiPath("/api/events"));
  source.onopen = () => setPill("health-stream", "ok", "live");
  source.onerror = () => setPill("health-stream", "warn", "live stream reconnecting…");
  /**
   * A board event of the stream, as campaign-board.ts sends it.
   * @template {BoardEvent["kind"]} K
   * @param {K} kind
   * @param {(event: Extract<BoardEvent, { kind: K }>) => void} handle
   */
  const onBoard = (kind, handle) =>
    source.addEventListener(kind, (message) => handle(JSON.parse(message.data)));
  onBoard("metrics", (event) => {
    renderCampaign(event.campaign);
    pushPoint(event.campaignId, event.point);
  });
  onBoard("state", (event) => renderCampaign(event.campaign));
  onBoard("live", (event) => renderCampaign(event.campaign));
  onBoard("removed", (event) => removeCampaign(event.campaignId));
  for (const name of ["failover", "watchdog-error", "action"])
    source.addEventListener(name, () => void refreshPanels());
}

window.addEventListener("resize", () => {
  for (const card of state.cards.values()) for (const chart of Object.values(card.charts)) chart?.resize();
});

on("refresh", () => void refreshPanels());

session()
  .then(() => Promise.all([loadDashboard(), loadTenants()]))
  .catch((error) => {
    $("campaigns-empty").hidden = false;
    $("campaigns-empty").textContent =
      `Could not load campaigns: ${error instanceof Error ? error.message : String(error)}`;
  })
  .finally(() => {
    emit("ready", undefined);
    connect();
    void refreshPanels();
    setInterval(() => void refreshPanels(), REFRESH_MS);
  });
