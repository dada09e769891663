// The dashboard: one fetch of /api/dashboard for the current picture, then server-sent events
// (/api/events) move the charts and figures live; the store panels (outbox, jobs, audit,
// incidents) and health refresh every few seconds. Plain DOM, no framework, no build step.
(() => {
  const REFRESH_MS = 5000;
  const MAX_POINTS = 720;
  const charts = new Map();

  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (key === "class") node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children)
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  };

  const percent = (v) => (v === null || v === undefined ? "—" : `${(v * 100).toFixed(1)} %`);
  const integer = (v) => (v === null || v === undefined ? "—" : Number(v).toLocaleString("en-US"));
  const clock = (iso) => (iso ? new Date(iso).toLocaleTimeString([], { hour12: false }) : "—");
  const stamp = (iso) =>
    iso ? new Date(iso).toLocaleString([], { dateStyle: "short", timeStyle: "medium", hour12: false }) : "—";
  function age(ms) {
    if (ms === null || ms === undefined) return "—";
    const s = Math.round(ms / 1000);
    if (s < 90) return `${s} s`;
    if (s < 5400) return `${Math.round(s / 60)} min`;
    return `${(s / 3600).toFixed(1)} h`;
  }
  const statusPill = (status) => el("span", { class: `pill pill-${status}` }, status);

  async function getJson(path) {
    const response = await fetch(path, {
      headers: { accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  // ---- campaign cards and charts -------------------------------------------------------
  function chartOptions(width) {
    return {
      width,
      height: 200,
      // The x range in effect, in epoch seconds, for people and tests to read off the page.
      hooks: {
        setScale: [
          (u, key) => {
            if (key !== "x") return;
            u.root.parentElement.dataset.xMin = String(u.scales.x.min);
            u.root.parentElement.dataset.xMax = String(u.scales.x.max);
          },
        ],
      },
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        // With one point (or equal times) uPlot pads a time axis by 86400 / ms = 86,400,000 s
        // (its seconds and milliseconds mixed): years. A minute either side instead.
        x: {
          time: true,
          range: (u, min, max) => {
            const xs = u.data[0];
            if (xs.length === 0 || xs[0] !== xs[xs.length - 1]) return [min, max];
            return [xs[0] - 60, xs[0] + 60];
          },
        },
        pct: { range: [0, 100] },
        calls: { range: (_u, _min, max) => [0, Math.max(10, max * 1.2)] },
      },
      axes: [
        {},
        { scale: "pct", label: "%", values: (_u, ticks) => ticks.map((t) => `${t} %`), size: 56 },
        { scale: "calls", side: 1, label: "active calls", grid: { show: false }, size: 50 },
      ],
      series: [
        {},
        {
          label: "Success rate",
          scale: "pct",
          stroke: "#1f6feb",
          width: 2,
          value: (_u, v) => (v === null ? "—" : `${v.toFixed(1)} %`),
        },
        {
          label: "Abandonment",
          scale: "pct",
          stroke: "#d9480f",
          width: 2,
          value: (_u, v) => (v === null ? "not reported" : `${v.toFixed(2)} %`),
        },
        { label: "Active calls", scale: "calls", stroke: "#8a8f98", width: 1, dash: [4, 4] },
      ],
    };
  }

  function ensureCard(campaign) {
    let entry = charts.get(campaign.id);
    if (entry) return entry;
    const success = el("div", { class: "value", "data-role": "success" }, "—");
    const calls = el("div", { class: "value", "data-role": "calls" }, "—");
    const abandon = el("div", { class: "value", "data-role": "abandon" }, "—");
    const status = el("span", { "data-role": "status" });
    const title = el("span", { class: "card-title", "data-role": "name" }, campaign.name || campaign.id);
    const meta = el("div", { class: "meta", "data-role": "meta" }, "waiting for metrics…");
    const live = el("div", { class: "meta", "data-role": "live" }, "");
    const error = el("div", { class: "error", "data-role": "error" });
    // Live pacing (service/pacing.ts): shown only for a campaign whose spec asks for it.
    const pacing = el("div", { class: "pacing", "data-role": "pacing", hidden: "" });
    const chartBox = el("div", { class: "chart", "data-role": "chart", "data-points": "0" });
    const card = el(
      "article",
      { class: "card", "data-campaign": campaign.id },
      el("div", { class: "card-head" }, title, status),
      el("div", { class: "card-id" }, campaign.id),
      el(
        "div",
        { class: "figures" },
        el(
          "div",
          { class: "figure", "data-role": "success-figure" },
          success,
          el("div", { class: "label" }, "success rate"),
        ),
        el("div", { class: "figure" }, calls, el("div", { class: "label" }, "active calls")),
        el("div", { class: "figure" }, abandon, el("div", { class: "label" }, "abandonment")),
      ),
      live,
      pacing,
      chartBox,
      meta,
      error,
    );
    $("campaigns").append(card);
    $("campaigns-empty").hidden = true;
    const data = [[], [], [], []];
    const width = Math.max(300, chartBox.clientWidth || 440);
    const plot = new uPlot(chartOptions(width), data, chartBox);
    entry = { card, data, plot, chartBox, success, calls, abandon, status, title, meta, error, live, pacing };
    charts.set(campaign.id, entry);
    return entry;
  }

  function renderCampaign(campaign) {
    const entry = ensureCard(campaign);
    entry.title.textContent = campaign.name || campaign.id;
    entry.status.replaceChildren(
      statusPill(campaign.status || "unknown"),
      ...(campaign.failoverTriggered ? [" ", statusPill("failover")] : []),
    );
    // No call behind a rate: "n/a", never 0 %.
    entry.success.textContent = campaign.successRate === null ? "n/a" : percent(campaign.successRate);
    entry.live.textContent = liveText(campaign.live);
    entry.calls.textContent = integer(campaign.activeCalls);
    entry.abandon.textContent = campaign.abandonmentRate === null ? "n/r" : percent(campaign.abandonmentRate);
    entry.abandon.title = campaign.abandonmentRate === null ? "not reported by the source" : "";
    entry.card
      .querySelector('[data-role="success-figure"]')
      .classList.toggle("bad", Boolean(campaign.failoverTriggered));
    entry.meta.textContent = campaign.lastMetricUpdate
      ? `last update ${clock(campaign.lastMetricUpdate)} via ${campaign.lastSource ?? "—"}`
      : "waiting for metrics…";
    entry.error.textContent = campaign.lastError ? `last poll failed: ${campaign.lastError}` : "";
    renderPacing(entry.pacing, campaign.pacing);
    entry.card.dataset.successRate = campaign.successRate === null ? "" : String(campaign.successRate);
  }

  // Live figures with how old they are and the endpoint they came from; absent ones say "n/r".
  function liveText(live) {
    if (!live) return "";
    const n = (v) => (v === null || v === undefined ? "n/r" : integer(v));
    let text = `live: ${n(live.agentsLoggedIn)} agents logged in (${n(live.agentsWorking)} working, ${n(live.agentsInWrap)} wrap-up), ${n(live.contactsActive)} contacts active — ${age(live.ageSeconds * 1000)} old · ${live.source}`;
    if (live.today && live.today.abandonRate !== undefined)
      text += ` · today abandon ${percent(live.today.abandonRate)} over ${n(live.today.connects)} connects · ${live.today.source}`;
    return text;
  }

  function renderPacing(box, pacing) {
    box.hidden = !pacing;
    if (!pacing) return;
    box.dataset.ratio = pacing.ratio === null ? "" : String(pacing.ratio);
    box.dataset.budgetLeft = String(pacing.budgetLeft);
    const guard = pacing.mode === "guard";
    box.dataset.mode = pacing.mode;
    box.replaceChildren(
      el("span", { class: "pacing-label" }, `${guard ? "budget guard" : "pacing"} (${pacing.window})`),
      el(
        "span",
        { "data-role": "pacing-ratio" },
        `${guard ? "maximum ratio" : "ratio"} ${pacing.ratio === null ? "—" : pacing.ratio.toFixed(2)}`,
      ),
      ...(guard && pacing.abandonTarget !== null && pacing.abandonTarget !== undefined
        ? [
            el(
              "span",
              { "data-role": "pacing-abandon-target" },
              `skill abandon target ${percent(pacing.abandonTarget)}`,
            ),
          ]
        : []),
      el(
        "span",
        { "data-role": "pacing-abandonment" },
        `abandonment ${percent(pacing.abandonment)} of ${percent(pacing.target)}`,
      ),
      el(
        "span",
        { "data-role": "pacing-budget" },
        `budget left ${Math.max(0, Math.floor(pacing.budgetLeft))} abandons`,
      ),
    );
    box.title = pacing.reason;
  }

  function removeCampaign(id) {
    const entry = charts.get(id);
    if (!entry) return;
    entry.plot.destroy();
    entry.card.remove();
    charts.delete(id);
    $("campaigns-empty").hidden = charts.size > 0;
  }

  function pushPoint(id, point) {
    const entry = charts.get(id);
    if (!entry) return;
    const [xs, success, abandon, calls] = entry.data;
    xs.push(point.t / 1000);
    success.push(point.successRate === null ? null : point.successRate * 100);
    abandon.push(point.abandonmentRate === null ? null : point.abandonmentRate * 100);
    calls.push(point.activeCalls);
    if (xs.length > MAX_POINTS) for (const column of entry.data) column.shift();
    entry.plot.setData(entry.data);
    entry.chartBox.dataset.points = String(xs.length);
  }

  function setSeries(id, points) {
    const entry = charts.get(id);
    if (!entry) return;
    entry.data = [
      points.map((p) => p.t / 1000),
      points.map((p) => (p.successRate === null ? null : p.successRate * 100)),
      points.map((p) => (p.abandonmentRate === null ? null : p.abandonmentRate * 100)),
      points.map((p) => p.activeCalls),
    ];
    entry.plot.setData(entry.data);
    entry.chartBox.dataset.points = String(points.length);
  }

  async function loadDashboard() {
    const doc = await getJson("/api/dashboard");
    for (const campaign of doc.campaigns) {
      renderCampaign(campaign);
      setSeries(campaign.id, campaign.series);
    }
    $("campaigns-empty").hidden = doc.campaigns.length > 0;
  }

  // ---- store panels ---------------------------------------------------------------------
  function fillTable(id, rows, emptyText) {
    const body = $(id).querySelector("tbody");
    const columns = $(id).querySelectorAll("thead th").length;
    if (rows.length === 0) {
      body.replaceChildren(el("tr", {}, el("td", { colspan: String(columns), class: "empty" }, emptyText)));
      return;
    }
    body.replaceChildren(...rows);
  }
  const td = (text, cls) => el("td", cls ? { class: cls } : {}, text);

  async function refreshOutbox() {
    const { destinations } = await getJson("/api/outbox");
    fillTable(
      "outbox",
      destinations.map((d) =>
        el(
          "tr",
          d.dead > 0 || d.note ? { class: "bad", title: d.note ?? "" } : {},
          d.configured
            ? td(d.destination)
            : el(
                "td",
                { "data-role": "unconfigured" },
                d.destination,
                el("div", { class: "note" }, d.note ?? "not configured"),
              ),
          td(integer(d.pending), "num"),
          td(integer(d.delivered), "num"),
          td(integer(d.dead), "num"),
          td(age(d.oldestPendingAgeMs), "num"),
        ),
      ),
      "No webhook destinations configured.",
    );
  }

  async function refreshJobs() {
    const { jobs } = await getJson("/api/jobs");
    fillTable(
      "jobs",
      jobs.map((j) =>
        el(
          "tr",
          j.rowsFailed > 0 ? { class: "bad" } : {},
          el("td", {}, `${j.kind} `, statusPill(j.active ? "active" : "stopped")),
          td(j.campaignId),
          td(integer(j.rowsDone), "num"),
          td(integer(j.rowsFailed), "num"),
          td(`${stamp(j.lastAt)} (row ${integer(j.lastRow)})`),
        ),
      ),
      "No bulk job recorded lately.",
    );
  }

  async function refreshAudit() {
    const { records } = await getJson("/api/audit?limit=15");
    fillTable(
      "audit",
      records.map((r) =>
        el(
          "tr",
          r.outcome === "done" ? {} : { class: "bad" },
          td(r.seq, "num"),
          td(stamp(r.time)),
          td(r.operation),
          td(r.target ?? "—"),
          td(r.outcome),
          td(r.status ?? "—", "num"),
          td(r.latencyMs === null ? "—" : `${r.latencyMs} ms`, "num"),
        ),
      ),
      "The audit log is empty.",
    );
  }

  async function refreshIncidents() {
    const { available, incidents } = await getJson("/api/incidents");
    $("incidents-note").textContent = available ? "" : "Failover watchdogs are not available.";
    // Newest first, as the watchdog's store keeps them.
    fillTable(
      "incidents",
      incidents
        .slice(0, 20)
        .map((i) =>
          el(
            "tr",
            i.phase === "closed" ? {} : { class: "bad" },
            td(stamp(i.openedAt)),
            td(i.primary),
            td(i.backup),
            td(
              i.trigger?.reason
                ? `${i.trigger.rule}: ${i.trigger.reason} · ${i.phase}`
                : i.trigger
                  ? `success rate ${percent(i.trigger.successRate)} < ${percent(i.trigger.threshold)} (${i.trigger.breaches} in a row) · ${i.phase}`
                  : i.phase,
            ),
          ),
        ),
      "No failover so far.",
    );
  }

  function setPill(id, cls, text) {
    const pill = $(id);
    pill.className = `pill pill-${cls}`;
    pill.textContent = text;
  }

  async function refreshHealth() {
    try {
      const health = await getJson("/api/health");
      setPill(
        "health-service",
        health.store.ok ? "ok" : "bad",
        health.store.ok ? "service ok" : "store error",
      );
      const c = health.cxone;
      if (!c.configured) setPill("health-cxone", "unknown", "CXone not configured");
      else if (c.reachable === false)
        setPill("health-cxone", "bad", `CXone unreachable (${c.lastNetworkError})`);
      else if (c.reachable === true) setPill("health-cxone", "ok", `CXone ok · token ${c.token.state}`);
      else setPill("health-cxone", "unknown", "CXone not contacted yet");
    } catch {
      setPill("health-service", "bad", "service unreachable");
    }
  }

  async function refreshPanels() {
    await Promise.allSettled([
      refreshHealth(),
      refreshOutbox(),
      refreshJobs(),
      refreshAudit(),
      refreshIncidents(),
    ]);
    $("updated").textContent = new Date().toLocaleTimeString([], { hour12: false });
  }

  // ---- live stream ----------------------------------------------------------------------
  function connect() {
    const source = new EventSource("/api/events");
    source.onopen = () => setPill("health-stream", "ok", "live");
    source.onerror = () => setPill("health-stream", "warn", "live stream reconnecting…");
    source.addEventListener("metrics", (message) => {
      const event = JSON.parse(message.data);
      renderCampaign(event.campaign);
      pushPoint(event.campaignId, event.point);
      $("updated").textContent = new Date().toLocaleTimeString([], { hour12: false });
    });
    source.addEventListener("state", (message) => renderCampaign(JSON.parse(message.data).campaign));
    source.addEventListener("live", (message) => renderCampaign(JSON.parse(message.data).campaign));
    source.addEventListener("removed", (message) => removeCampaign(JSON.parse(message.data).campaignId));
    for (const name of ["failover", "watchdog-error"])
      source.addEventListener(name, () => void refreshIncidents());
  }

  window.addEventListener("resize", () => {
    for (const entry of charts.values())
      entry.plot.setSize({ width: Math.max(300, entry.chartBox.clientWidth), height: 200 });
  });

  loadDashboard()
    .catch((error) => {
      $("campaigns-empty").hidden = false;
      $("campaigns-empty").textContent = `Could not load campaigns: ${error.message}`;
    })
    .finally(() => {
      connect();
      void refreshPanels();
      setInterval(() => void refreshPanels(), REFRESH_MS);
    });
})();
