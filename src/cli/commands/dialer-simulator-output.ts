import { extname } from "node:path";
import type { DialerConfig } from "../../dialer/config.ts";
import type { SimulationResult } from "../../dialer/simulator/des/result.ts";
import type { erlangReport } from "../../dialer/simulator/erlang-report.ts";
import type { SweepResult } from "../../dialer/simulator/sweep.ts";
import { writeOutFile } from "../output-target.ts";
import { chartKind } from "./dialer-simulate-flags.ts";

/** What `cxo dialer erlang` and `cxo dialer simulate` print for a person, and the sweep chart file. */
const pct = (v: number | null | undefined, digits = 2) =>
  v === null || v === undefined ? "—" : `${(v * 100).toFixed(digits)}%`;
const secs = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${v.toFixed(2)} s`);

export function humanErlang(r: ReturnType<typeof erlangReport>): string {
  const lines = [
    `model ${r.model}${r.offeredLoad !== undefined ? `, offered load ${r.offeredLoad.toFixed(3)} Erlangs` : ""}`,
  ];
  if (r.model === "progressive")
    lines.push(
      `cycle ${secs(r.cycleSeconds)}, ${r.connectsPerAgentHour?.toFixed(2)} connects and ${r.dialsPerAgentHour?.toFixed(1)} dials per agent-hour${r.connectsPerHour !== undefined ? `, ${r.connectsPerHour.toFixed(0)} connects/h in all` : ""}`,
      `occupancy ${pct(r.occupancy, 1)}, abandonment 0 (every call has its agent)`,
    );
  else
    lines.push(
      `P(wait) ${pct(r.pWait)}   P(abandon) ${pct(r.pAbandon, 3)}   ASA ${secs(r.asaSeconds)}`,
      `service level${r.slSeconds !== undefined ? ` (${r.slSeconds} s)` : ""} ${pct(r.serviceLevel, 1)}   occupancy ${pct(r.occupancy, 1)}${r.erlangB !== undefined ? `   (Erlang B would say ${pct(r.erlangB, 3)})` : ""}`,
    );
  return lines.join("\n");
}

// -------------------------------------------------------------------------------- simulate --

/** Writes the sweep chart: self-contained interactive HTML for .html, SVG otherwise. */
/** The sweep's chart file; the chart code is imported here, as only `--chart` needs it. */
export async function writeChart(
  path: string,
  sweep: SweepResult,
  config: DialerConfig,
  force?: boolean,
): Promise<void> {
  const [{ sweepHtml }, { sweepSvg }] = await Promise.all([
    import("../../dialer/simulator/chart/html.ts"),
    import("../../dialer/simulator/chart/svg.ts"),
  ]);
  const agents = Math.max(
    1,
    Math.round(config.concurrency.maxAgents * config.algorithm.agentAvailabilityEstimate),
  );
  const named = [config.name, config.campaignId ? `campaign ${config.campaignId}` : undefined]
    .filter(Boolean)
    .join(", ");
  const title = `${named ? `${named}: a` : "A"}bandonment and occupancy vs dial ratio — ${agents} agents, ${(config.traffic.liveAnswerRate * 100).toFixed(0)}% live answers, τ = ${config.algorithm.warmLineTimeoutSec} s`;
  const text = extname(path).toLowerCase() === ".html" ? sweepHtml(sweep, title) : sweepSvg(sweep, title);
  writeOutFile(path, text, "--chart", chartKind(path), force);
}

/** The simulation as text: its verdict is the SDK's (`withinTarget`: the CI's upper bound at or under `target`). */
export function humanSimulation(
  r: SimulationResult & { target: number; withinTarget: boolean },
  elapsedMs: number,
): string {
  const { target, withinTarget: ok } = r;
  const n = (v: number) => Math.round(v).toLocaleString("en-US");
  return [
    `${r.mode} dialing, ${r.agents} agents, ${r.hours} h simulated after warm-up (seed ${r.seed}), ${n(r.answered)} live answers`,
    `abandonment  ${pct(r.abandonment.rate)} (95% CI ${pct(r.abandonment.ci95.low)} – ${pct(r.abandonment.ci95.high)}), target ${pct(target)}: ${ok ? "within target" : "CI upper bound OVER target"}`,
    `occupancy    ${pct(r.occupancy, 1)}   ASA ${secs(r.asaSeconds)}   P(wait) ${pct(r.pWait)}   P(wait > τ) ${pct(r.pWaitOverTau)}`,
    `per hour     ${n(r.perHour.dials)} dials, ${n(r.perHour.liveAnswers)} live, ${n(r.perHour.connects)} connects, ${n(r.perHour.abandoned)} dropped${r.perHour.blockedDials > 0 ? `, ${n(r.perHour.blockedDials)} blocked (no trunk)` : ""}`,
    `channels     peak ${r.peakChannels} of ${r.trunks} trunks (dialer limit ${r.channelLimit}), mean ${r.meanChannels.toFixed(1)}, ${r.meanHoldingSeconds.toFixed(1)} s per dial`,
    ...(r.mode === "adaptive"
      ? [`dial level   mean ${r.dialLevel.mean.toFixed(2)}, final ${r.dialLevel.final.toFixed(2)}`]
      : []),
    `${n(r.eventsProcessed)} events in ${elapsedMs.toFixed(0)} ms`,
  ].join("\n");
}

export function humanSweep(s: SweepResult, chart: string | undefined, elapsedMs: number): string {
  const lines = [
    `dial ratio   abandonment   95% CI high   occupancy   connects/h`,
    ...s.points.map(
      (p) =>
        `${p.dialRatio.toString().padStart(10)}   ${pct(p.abandonment).padStart(11)}   ${pct(p.ci95High).padStart(11)}   ${pct(p.occupancy, 1).padStart(9)}   ${Math.round(p.connectsPerHour).toString().padStart(10)}`,
    ),
    s.recommendedMaxRatio === null
      ? `no ratio keeps the abandonment CI upper bound at or under the ${pct(s.target)} target`
      : `recommended maximum dial ratio: ${s.recommendedMaxRatio} (CI upper bound ≤ ${pct(s.target)} target)`,
    `${s.points.length} simulations of ${s.hours} h (${s.mode}, seed ${s.seed}) in ${(elapsedMs / 1000).toFixed(1)} s${chart ? `; chart written to ${chart}` : ""}`,
  ];
  return lines.join("\n");
}
