// @ts-check
// A service for several business units (`/t/NAME/`): which one this board shows, a switcher to
// the others this user is granted (names, from /api/tenants), and what needs attention on those
// others — open incidents nobody acknowledged, dead outbox events — so nothing waits unseen on a
// board nobody has open. On a service for one business unit none of this shows.
import { getJson } from "./api.js";
import { renderAttention } from "./attention.js";
import { $ } from "./dom.js";
import { state, tenant } from "./state.js";

const OTHERS_REFRESH_MS = 15_000;

export async function loadTenants() {
  if (tenant === null) return;
  document.title = `cxo — ${tenant} — outbound operations`;
  const { tenants } = await getJson("/api/tenants");
  state.tenants = tenants;
  if (tenants.length > 1) {
    const select = /** @type {HTMLSelectElement} */ ($("tenant-select"));
    select.replaceChildren(
      ...tenants.map((t) => {
        const option = document.createElement("option");
        option.value = t.path;
        option.textContent = t.name;
        option.selected = t.name === tenant;
        return option;
      }),
    );
    select.addEventListener("change", () => location.assign(select.value));
    $("tenant-switch").hidden = false;
  } else {
    $("tenant-name").textContent = tenant;
    $("tenant-name").hidden = false;
  }
  await refreshOthers();
  setInterval(() => void refreshOthers(), OTHERS_REFRESH_MS);
}

/** The other granted business units' open, unacknowledged incidents and dead events. */
async function refreshOthers() {
  /** @type {typeof state.elsewhere} */
  const found = [];
  await Promise.allSettled(
    state.tenants
      .filter((t) => t.name !== tenant)
      .map(async (t) => {
        const base = t.path.replace(/\/$/, "");
        const [{ incidents }, { destinations }, { campaigns }] = await Promise.all([
          getJson("/api/incidents", { base }),
          getJson("/api/outbox", { base }),
          getJson("/api/campaigns", { base }),
        ]);
        const name = (/** @type {string} */ id) => campaigns.find((c) => c.id === id)?.name || id;
        for (const i of incidents)
          if (i.phase !== "closed" && !i.acknowledged)
            found.push({
              tenant: t.name,
              path: t.path,
              level: "bad",
              text: `Failover: ${name(i.primary)} → ${name(i.backup)} (${i.phase}) — not acknowledged`,
            });
        const dead = destinations.reduce((n, d) => n + (d.dead || 0), 0);
        if (dead > 0)
          found.push({ tenant: t.name, path: t.path, level: "bad", text: `Outbox: ${dead} dead event(s)` });
      }),
  );
  state.elsewhere = found;
  renderAttention();
}
