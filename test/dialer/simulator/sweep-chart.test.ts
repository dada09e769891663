import { describe, expect, it } from "vitest";
import { sweepDialRatio, sweepHtml, sweepSvg, sweepValues } from "../../../src/dialer/simulator/index.ts";
import { dialerConfig } from "./helpers.ts";

/** The dial-ratio sweep's recommendation and its two chart renderings. */
describe("dial-ratio sweep", () => {
  const sweep = sweepDialRatio(
    dialerConfig(),
    { from: 1, to: 3, step: 0.25 },
    { mode: "predictive", hours: 6, seed: 3 },
  );

  it("lists clean ratio values (no 1.2999999)", () => {
    expect(sweepValues({ from: 1, to: 2, step: 0.1 })).toEqual([
      1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2,
    ]);
    expect(sweepValues({ from: 2, to: 2, step: 0.5 })).toEqual([2]);
  });

  it("recommends the largest ratio of the prefix whose CI upper bound stays within target", () => {
    const firstOver = sweep.points.findIndex((p) => p.ci95High > sweep.target);
    expect(firstOver).toBeGreaterThan(0);
    expect(sweep.recommendedMaxRatio).toBe(sweep.points[firstOver - 1]?.dialRatio);
    // Occupancy rises with the ratio: the recommendation is the most productive safe setting.
    expect(sweep.points.at(-1)?.occupancy).toBeGreaterThan(sweep.points[0]?.occupancy ?? 1);
  });

  it("draws an SVG with the target, the recommendation and escaped titles", () => {
    const svg = sweepSvg(sweep, `Campaign <script>alert("x")</script> & co`);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain("target 3.0%");
    expect(svg).toContain(`recommended max ${sweep.recommendedMaxRatio}`);
    expect(svg).not.toContain("<script>");
    expect(svg.match(/<path /g)).toHaveLength(3);
  });

  it("wraps a long title into lines that fit the chart's width, and makes room for them", () => {
    const title =
      "Renewals & Retention <East>, campaign predictive-outbound-01: abandonment and occupancy vs dial ratio — 43 agents, 25% live answers, τ = 2 s";
    const svg = sweepSvg(sweep, title);
    const lines = [...svg.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1] as string);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.replaceAll(/&#\d+;/g, "x").length).toBeLessThanOrEqual(95);
    expect(lines.join(" ")).toBe(
      title.replaceAll("&", "&#38;").replaceAll("<", "&#60;").replaceAll(">", "&#62;"),
    );
    expect(svg).toContain('height="479"');
    expect(sweepSvg(sweep, "short")).toContain('height="460"');
  });

  it("renders a self-contained HTML page with uPlot inlined and the data embedded", () => {
    const html = sweepHtml(sweep, "</script><b>title</b>");
    expect(html).toContain("uPlot");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/cdn/i);
    expect(html).toContain(JSON.stringify(sweep.points.map((p) => p.dialRatio)));
    expect(html).not.toContain("</script><b>");
  });

  it("says so when no ratio is safe", () => {
    const hopeless = sweepDialRatio(
      dialerConfig({
        algorithm: { abandonmentTarget: 0.001, dialRatio: 4, agentAvailabilityEstimate: 1 },
      }),
      { from: 4, to: 5, step: 1 },
      { mode: "predictive", hours: 2, seed: 1 },
    );
    expect(hopeless.recommendedMaxRatio).toBeNull();
    expect(sweepSvg(hopeless, "t")).not.toContain("recommended max");
  });
});
