import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { escapeHtml } from "../core/html-escape.ts";
import { LOCALE_GUARD_JS } from "../core/locale-guard.ts";
import { HTML_GENERATOR_META, type SafeWriteOptions, writeFileSafely } from "../core/safe-write.ts";
import { unknownCodesParts } from "./analysis.ts";
import type { ExportSummary } from "./export.ts";

/**
 * The `--report` page: ONE self-contained HTML file (uPlot's script and stylesheet are inlined
 * from node_modules; no CDN, no external request), with conversion by day and by hour of day,
 * the category distribution, and the summary tables. It opens from a mail attachment or an
 * air-gapped share exactly as it was written.
 */
const require = createRequire(import.meta.url);
let assets: { js: string; css: string } | undefined;

function uplotAssets(): { js: string; css: string } {
  assets ??= {
    js: readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8"),
    css: readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8"),
  };
  return assets;
}

/** JSON safe inside a <script> element (no "</script>", no HTML comment openers). */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");

const pct = (fraction: number): string => `${(fraction * 100).toFixed(2)} %`;
const num = (n: number | null, digits = 1): string => (n === null ? "–" : n.toFixed(digits));

/** Every calendar day from the first to the last (a day without calls is a gap, not skipped). */
function calendarDays(days: readonly string[]): string[] {
  if (days.length === 0) return [];
  const out: string[] = [];
  const last = Date.parse(`${days[days.length - 1]}T00:00:00Z`);
  for (let t = Date.parse(`${days[0]}T00:00:00Z`); t <= last && out.length < 1000; t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

export function renderHtmlReport(summary: ExportSummary, campaignName?: string): string {
  const { js, css } = uplotAssets();
  const title = `Call outcomes — ${campaignName ?? `campaign ${summary.campaignId}`}`;
  const unknown = unknownCodesParts(summary.unknownCodes);
  const unknownRows = [
    ...unknown.outside.map(([code, n]) => row(code, String(n))),
    ...(unknown.noDisposition > 0 ? [row("no disposition", String(unknown.noDisposition))] : []),
  ].join("");
  const categoryRows = Object.entries(summary.categories)
    .map(([name, n]) => row(name, `${n} (${pct(summary.totalRecords ? n / summary.totalRecords : 0)})`))
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${HTML_GENERATOR_META}<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
<style>
${REPORT_CSS}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p class="sub">campaign id ${escapeHtml(summary.campaignId)} · ${escapeHtml(summary.from)} → ${escapeHtml(summary.to)} (end exclusive)${summary.codes.length ? ` · codes ${escapeHtml(summary.codes.join(", "))}` : ""} · day/hour in ${escapeHtml(summary.zone)}</p>
<div class="grid"><div><div class="kpi">${summary.totalRecords.toLocaleString("en-US")}</div>records</div>
<div><div class="kpi">${pct(summary.conversionRate)}</div>conversion (${summary.converted.toLocaleString("en-US")} converted)</div></div>
<h2>Conversion by day</h2><div id="by-day"></div>
<p class="figures" id="by-day-figures">${escapeHtml(dayFigures(summary))}</p>
<h2>Conversion by hour of day (${escapeHtml(summary.zone)})</h2><div id="by-hour"></div>
<div class="scroll"><table class="hours" id="by-hour-table">${hourBlocks(summary)}</table></div>
<h2>Category distribution</h2><div id="categories"></div>
<h2>Summary</h2>
${summaryTable(summary, unknown)}
<h2>Categories</h2><table>${categoryRows}</table>
${unknownRows ? `<h2>Records the map could not categorise</h2><table>${unknownRows}</table>` : ""}
<script>${LOCALE_GUARD_JS}</script>
<script>${js}</script>
<script>
${chartScript(chartDataOf(summary))}
</script>
</body></html>
`;
}

const row = (label: string, value: string) =>
  `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;

/** The page's own styles (uPlot's come before them). */
const REPORT_CSS = `body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430;margin:2rem auto;max-width:1000px;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d8dde6;padding-bottom:.3rem}
.sub{color:#5b6575;margin-top:0} table{border-collapse:collapse;min-width:420px} th,td{text-align:left;padding:.3rem .8rem;border-bottom:1px solid #eef0f4}
th{font-weight:600;color:#38404d} td{font-variant-numeric:tabular-nums} .hash{font-family:ui-monospace,monospace;font-size:.85rem;word-break:break-all}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:1.5rem} .kpi{font-size:2rem;font-weight:700}
.figures{color:#38404d;font-size:.9rem} .scroll{overflow-x:auto} table.hours{min-width:0;font-size:.75rem} table.hours th,table.hours td{padding:.2rem .3rem;text-align:center} .n{color:#5b6575}
@media print{body{margin:0;max-width:none}}`;

/** The series the three charts draw; a calendar day without calls is a gap, never a 0 %. */
function chartDataOf(summary: ExportSummary) {
  const byDay = new Map(summary.byDay.map((r) => [r.day, r]));
  const days = calendarDays(summary.byDay.map((r) => r.day));
  return {
    days: days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000),
    // A day without calls has no rate: a gap in the line, never a 0 % or a line across it.
    dayRate: days.map((day) => {
      const r = byDay.get(day);
      return r && r.records > 0 ? r.conversionRate * 100 : null;
    }),
    dayRecords: days.map((day) => byDay.get(day)?.records ?? 0),
    hours: summary.byHour.map((r) => r.hour),
    hourRate: summary.byHour.map((r) => (r.records > 0 ? r.conversionRate * 100 : null)),
    categories: Object.keys(summary.categories),
    categoryCounts: Object.values(summary.categories),
  };
}

/** The line under the day chart: days with and without calls, the best and the lowest day. */
function dayFigures(summary: ExportSummary): string {
  const days = calendarDays(summary.byDay.map((r) => r.day));
  const withCalls = summary.byDay.filter((r) => r.records > 0);
  const best = withCalls.reduce<(typeof withCalls)[number] | undefined>(
    (a, r) => (!a || r.conversionRate > a.conversionRate ? r : a),
    undefined,
  );
  const worst = withCalls.reduce<(typeof withCalls)[number] | undefined>(
    (a, r) => (!a || r.conversionRate < a.conversionRate ? r : a),
    undefined,
  );
  return withCalls.length
    ? `${withCalls.length} day(s) with calls, ${days.length - withCalls.length} without · best ${best?.day} (${pct(best?.conversionRate ?? 0)}, ${best?.records} records) · lowest ${worst?.day} (${pct(worst?.conversionRate ?? 0)}, ${worst?.records} records)`
    : "no calls in the window";
}

/**
 * The hour table in two blocks of 12 hours: 24 columns of "12.3 % / 1234" do not fit a page (at
 * 1024 px the table was cut at 17 h, the rest behind a scroll bar nobody prints).
 */
function hourBlocks(summary: ExportSummary): string {
  return [summary.byHour.slice(0, 12), summary.byHour.slice(12)]
    .filter((block) => block.length > 0)
    .map((block) => {
      const heads = block.map((r) => `<th>${r.hour}</th>`).join("");
      const cells = block
        .map(
          (r) =>
            `<td>${r.records > 0 ? `${(r.conversionRate * 100).toFixed(1)}&nbsp;%<br><span class="n">${r.records}</span>` : "—"}</td>`,
        )
        .join("");
      return `<tr><th>hour</th>${heads}</tr><tr><th>conversion<br><span class="n">records</span></th>${cells}</tr>`;
    })
    .join("");
}

/** The summary table: counts, pages, conversion, durations, throughput, the compliance hash. */
function summaryTable(summary: ExportSummary, unknown: ReturnType<typeof unknownCodesParts>): string {
  const d = summary.durationSeconds;
  return `<table>
${row("records", String(summary.totalRecords))}
${row("pages", `${summary.pagesOk} ok, ${summary.pagesFailed} failed`)}
${row("conversion rate", pct(summary.conversionRate))}
${row("records with codes outside the map", String(unknown.outsideRecords))}
${row("records with no disposition", String(unknown.noDisposition))}
${row("call duration (s)", `mean ${num(d.mean)}, p50 ${num(d.p50)}, p90 ${num(d.p90)}, p99 ${num(d.p99)}, min ${num(d.min, 0)}, max ${num(d.max, 0)}`)}
${row("records per second (this run)", summary.recordsPerSec.toFixed(0))}
${row("retries / 429 pauses", `${summary.retries} / ${summary.throttled}`)}
${row("format", summary.format)}
<tr><th>compliance hash (SHA-256)</th><td class="hash">${escapeHtml(summary.complianceHash)}</td></tr>
</table>`;
}

/** The charts, drawn by uPlot in the page from `data` (chartDataOf). */
function chartScript(data: ReturnType<typeof chartDataOf>): string {
  return `(function(){
var d=${scriptJson(data)};
var w=Math.min(960,document.body.clientWidth-20);
var bars=uPlot.paths.bars({size:[0.7,60]});
// The scales in effect, on each chart's element, for people and tests to read off the page.
function shown(){return {setScale:[function(u,key){var box=u.root.parentElement;if(key==="x"){box.dataset.xMin=String(u.scales.x.min);box.dataset.xMax=String(u.scales.x.max);}else if(key===u.series[1].scale){box.dataset.yMin=String(u.scales[key].min);box.dataset.yMax=String(u.scales[key].max);}}]};}
// Bars start at zero: an auto-ranged axis would start near the smallest bar and mislead.
function fromZero(u,min,max){return [0,max>0?max*1.1:1];}
// Bars are centred on their x: half a step either side so the first and last bars show whole.
function padded(u,min,max){return [min-0.5,max+0.5];}
function pctAxis(){return {label:"conversion %",values:function(u,v){return v.map(function(x){return x.toFixed(1)+"%";});}};}
// Days are calendar dates of the report's zone, stored as UTC midnights: drawn in UTC so no
// browser zone shifts them by a day. The legend names the series (no "--" waiting for a hover);
// the figures are printed under each chart.
var utc=function(ts){return uPlot.tzDate(new Date(ts*1e3),"Etc/UTC");};
new uPlot({width:w,height:260,tzDate:utc,legend:{live:false},series:[{},{label:"conversion %",stroke:"#2f6fdf",fill:"rgba(47,111,223,.12)",width:2,spanGaps:false,points:{show:true}},{label:"records (right axis)",stroke:"#9aa3b2",dash:[4,4],scale:"n"}],
 axes:[{space:70},pctAxis(),{side:1,scale:"n",label:"records",grid:{show:false},size:60}],scales:{y:{range:fromZero},n:{range:fromZero}},hooks:shown()},[d.days,d.dayRate,d.dayRecords],document.getElementById("by-day"));
new uPlot({width:w,height:240,legend:{live:false},scales:{x:{time:false,range:padded},y:{range:fromZero}},hooks:shown(),series:[{label:"hour"},{label:"conversion % (hours without calls: no bar)",fill:"#2f6fdf",stroke:"#2f6fdf",paths:bars,points:{show:false}}],
 axes:[{label:"hour of day",values:function(u,v){return v.map(function(x){return x+":00";});}},pctAxis()]},[d.hours,d.hourRate],document.getElementById("by-hour"));
var idx=d.categories.map(function(_,i){return i;});
new uPlot({width:w,height:240,legend:{live:false},scales:{x:{time:false,range:[-0.5,d.categories.length-0.5]},y:{range:fromZero}},hooks:shown(),series:[{label:"category",value:function(u,v){return v==null?"":d.categories[v];}},{label:"records",fill:"#1f9d72",stroke:"#1f9d72",paths:bars,points:{show:false}}],
 axes:[{splits:function(){return idx;},values:function(u,v){return v.map(function(i){return d.categories[i]||"";});}},{label:"records"}]},[idx,d.categoryCounts],document.getElementById("categories"));
})();`;
}

/** Writes the report through the safe-write helper (`target`: its field, kind, force and mode). */
export async function writeHtmlReport(
  path: string,
  summary: ExportSummary,
  campaignName: string | undefined,
  target: SafeWriteOptions,
): Promise<void> {
  writeFileSafely(path, renderHtmlReport(summary, campaignName), target);
}
