import { escapeHtml as esc } from "../core/html-escape.ts";
import { utcMinute } from "./health.ts";
import type { CallerIdHealthRow } from "./types.ts";

/**
 * The HTML report of `cxo callerid health --report` (issue 66 §3): every number's answer ratio
 * against its peers (a bar chart from zero, the expected level marked), the table, and for each
 * suspect number what to do, lawfully, with the redress packet the remediation processes ask
 * for. It never proposes a replacement number, rotating numbers, or local-looking area codes
 * (docs/compliance.md says why). Self-contained: no script, no network.
 */

const COLOURS = { ok: "#2e7d32", watch: "#b26a00", suspect: "#c62828" } as const;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
/** The report is read by people, and its times are UTC. */
const when = utcMinute;
/** A table cell's instant: the day above its time, so the table's last columns fit a 1024 px page. */
const whenCell = (at: string | undefined): string => esc(when(at)).replace(" ", "<br>");
const label = (r: CallerIdHealthRow) => `${r.callerId}${r.carrier ? ` · ${r.carrier}` : ""}`;

function chart(rows: readonly CallerIdHealthRow[]): string {
  const shown = rows.slice(0, 60);
  const rowH = 22;
  const left = 230;
  const width = 720;
  const plot = width - left - 60;
  const max = Math.max(1.2, ...shown.map((r) => r.ratio));
  const x = (v: number) => left + (v / max) * plot;
  const height = shown.length * rowH + 56;
  const ticks = [0, 0.25, 0.5, 0.75, 1, ...(max > 1.25 ? [max] : [])];
  const bars = shown
    .map((r, i) => {
      const y = 10 + i * rowH;
      return `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${esc(label(r))}</text>
<rect x="${left}" y="${y + 3}" width="${Math.max(1, x(r.ratio) - left).toFixed(1)}" height="${rowH - 8}" fill="${COLOURS[r.status]}"><title>${esc(`${label(r)}: ${r.status}, ratio ${r.ratio.toFixed(2)}`)}</title></rect>
<text x="${(x(r.ratio) + 4).toFixed(1)}" y="${y + 15}">${r.ratio.toFixed(2)}</text>`;
    })
    .join("\n");
  const axisY = 10 + shown.length * rowH + 4;
  const axis = ticks
    .map(
      (t) =>
        `<line x1="${x(t).toFixed(1)}" y1="10" x2="${x(t).toFixed(1)}" y2="${axisY}" stroke="${t === 1 ? "#333" : "#ddd"}"${t === 1 ? ' stroke-dasharray="4 3"' : ""}/><text x="${x(t).toFixed(1)}" y="${axisY + 16}" text-anchor="middle">${t.toFixed(2)}</text>`,
    )
    .join("\n");
  return `<svg role="img" aria-label="Answer ratio per number" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px">
${axis}
${bars}
<text x="${left + plot / 2}" y="${axisY + 36}" text-anchor="middle">answers ÷ expected answers (1.00 = as its peers, dashed)</text>
</svg>${rows.length > shown.length ? `<p>Chart: the first ${shown.length} of ${rows.length} numbers (suspect first); the table has every one.</p>` : ""}`;
}

function packet(r: CallerIdHealthRow, campaign: (id: string) => string): string {
  const e = r.evidence;
  return `<section class="packet">
<h3>${esc(label(r))}: suspect since ${esc(when(r.since))}</h3>
<p>${esc(e.summary)}</p>
<h4>What to do (in this order)</h4>
<ol>
<li><strong>Confirm it.</strong> Place a test call from ${esc(r.callerId)} to a handset on each big carrier (AT&amp;T, Verizon, T-Mobile) and note what the screen shows, or run a lookup you subscribe to. This report infers a label from answers; it cannot see the label itself.</li>
<li><strong>Register and ask for remediation.</strong> Register the business's numbers with the Free Caller Registry (freecallerregistry.com: Hiya, TNS and First Orion, the engines behind AT&amp;T, Verizon and T-Mobile) and file each engine's dispute, with the packet below.</li>
<li><strong>Reduce the number's daily volume</strong> (now about ${e.dailyVolume} calls a day): analytics engines weigh how many calls a number places; no engine publishes its thresholds, so lower it and watch the ratio here.</li>
<li><strong>Take it out of the skill's or list's caller-id settings until it is cleared</strong>, then put it back and re-test (this check shows it cleared when answers return to its peers').</li>
</ol>
<p class="never">Do not provision a replacement number, rotate numbers to get round labels, or pick area codes to look local: regulators treat caller ID chosen to mislead or evade blocking as unlawful (docs/compliance.md).</p>
<h4>Redress packet</h4>
<table class="kv">
<tr><th>Number</th><td>${esc(r.callerId)}${e.pool ? ` (pool ${esc(e.pool.name)}: ${esc(e.pool.members.join(", "))})` : ""}</td></tr>
<tr><th>Campaign</th><td>${esc(campaign(r.campaignId))}</td></tr>
<tr><th>Daily / weekly volume</th><td>${e.dailyVolume} / ${e.weeklyVolume} calls</td></tr>
<tr><th>Window</th><td>${esc(when(e.firstCallAt))} – ${esc(when(e.lastCallAt))}</td></tr>
<tr><th>Answer rate since onset (${esc(when(r.onset))})</th><td>${pct(r.answerRate)} against ${pct(r.expectedAnswerRate)} expected from ${e.expectation === "peers" ? `${e.peers} peer number(s) in the same hours` : "its own first days"} (ratio ${r.ratio.toFixed(2)}; ${r.answered} of ${r.calls} calls)</td></tr>
<tr><th>Example unanswered calls</th><td>${e.exampleUnanswered.length ? e.exampleUnanswered.map((t) => esc(when(t).replace(" UTC", `:${t.slice(17, 19)} UTC`))).join("<br>") : "(none kept: the dataset gives hourly counts)"}</td></tr>
<tr><th>Sequential test</th><td>CUSUM ${e.cusum} (watch at ${e.watchAt}, suspect at ${e.suspectAt})</td></tr>
<tr><th>STIR/SHAKEN attestation</th><td>not known to this tool: ask your carrier (A-level attestation helps a dispute)</td></tr>
</table>
</section>`;
}

export function callerIdReportHtml(
  rows: readonly CallerIdHealthRow[],
  meta: { generatedAt: string; campaignNames?: Readonly<Record<string, string>> },
): string {
  // Names, not ids: "Solar Leads East (101)" where the caller knew the name, else the id.
  const campaign = (id: string) => {
    const name = meta.campaignNames?.[id];
    return name ? `${name} (${id})` : id;
  };
  const campaigns = [...new Set(rows.map((r) => r.campaignId))];
  // One campaign (the usual run): named once above the table, not repeated in a column that
  // pushed the onset out of a 1024 px page.
  const oneCampaign = campaigns.length === 1 ? campaigns[0] : undefined;
  const order = { suspect: 0, watch: 1, ok: 2 } as const;
  const sorted = [...rows].sort((a, b) => order[a.status] - order[b.status] || a.ratio - b.ratio);
  const count = (s: keyof typeof order) => rows.filter((r) => r.status === s).length;
  const table = sorted
    .map(
      (r) =>
        `<tr><td><span class="dot" style="background:${COLOURS[r.status]}"></span>${r.status}</td><td>${esc(r.callerId)}</td><td>${esc(r.carrier ?? "all")}</td>${oneCampaign === undefined ? `<td>${esc(campaign(r.campaignId))}</td>` : ""}<td class="n">${r.evidence.windowCalls}</td><td class="n">${r.onset ? r.calls : "—"}</td><td class="n">${pct(r.answerRate)}</td><td class="n">${pct(r.expectedAnswerRate)}</td><td class="n">${r.ratio.toFixed(2)}</td><td>${whenCell(r.since)}</td><td>${whenCell(r.onset)}</td></tr>`,
    )
    .join("\n");
  const suspects = sorted.filter((r) => r.status === "suspect");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Caller-ID health</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:24px;color:#1a1a1a;max-width:1200px}
table{border-collapse:collapse;width:100%;margin:8px 0 24px}th,td{padding:4px 8px;border-bottom:1px solid #e5e5e5;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px}
svg text{font:12px system-ui,sans-serif;fill:#1a1a1a}.packet{border:1px solid #e0c0c0;border-radius:6px;padding:8px 16px;margin:16px 0}
.never{background:#fff4e5;padding:8px;border-left:4px solid #b26a00}.kv th{width:260px}.legend span{margin-right:16px}
.wrap{overflow-x:auto}.wrap td:first-child,.wrap td:nth-last-child(-n+2){white-space:nowrap}
</style></head><body>
<h1>Caller-ID health</h1>
<p>${rows.length} number(s): <strong>${count("suspect")} suspect</strong>, ${count("watch")} watch, ${count("ok")} ok. Generated ${esc(when(meta.generatedAt))}.
Each number's answers are compared with those of the other numbers calling the same campaign in the same hours, so a bad day for the whole list is not blamed on one number.</p>
<p class="legend"><span><span class="dot" style="background:${COLOURS.suspect}"></span>suspect: answers have fallen; likely labelled</span><span><span class="dot" style="background:${COLOURS.watch}"></span>watch: falling, not yet conclusive</span><span><span class="dot" style="background:${COLOURS.ok}"></span>ok</span></p>
<h2>Answer ratio per number</h2>
${chart(sorted)}
<h2>Every number</h2>
${oneCampaign === undefined ? "" : `<p>Campaign: <strong>${esc(campaign(oneCampaign))}</strong></p>`}
<div class="wrap"><table><thead><tr><th>status</th><th>number</th><th>carrier</th>${oneCampaign === undefined ? "<th>campaign</th>" : ""}<th>calls in window</th><th>calls since onset</th><th>answer rate</th><th>expected</th><th>ratio</th><th>since</th><th>onset</th></tr></thead>
<tbody>${table}</tbody></table></div>
<p>Answer rate, expected and ratio are over the calls since the onset (the drop itself) when a number is watch or suspect, over every call of the window when it is ok; calls in window counts every call the history has for the number.</p>
${suspects.length ? `<h2>Suspect numbers: what to do</h2>${suspects.map((r) => packet(r, campaign)).join("\n")}` : "<h2>No suspect number</h2><p>Nothing to do.</p>"}
</body></html>
`;
}
