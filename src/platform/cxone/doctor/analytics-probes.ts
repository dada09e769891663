import { clockNowMs } from "../../../core/clock/now.ts";
import { localDayStart } from "../../../core/local-day.ts";
import { isObject, listOf, num, text } from "../tolerant.ts";
import { evidenceOf, ok } from "./probe-call.ts";
import {
  get,
  iso,
  type Observation,
  PHONE_CALL,
  type ReadContext,
  seen,
  type TenantInfo,
  untold,
} from "./read-context.ts";
// Analytics: today's skill summary and WFM data.

export async function probeSummary(ctx: ReadContext, info: TenantInfo): Promise<Observation[]> {
  const end = clockNowMs();
  const start = localDayStart(end, info.timeZone ?? "UTC").toJSDate();
  const answer = await get(ctx, "/skills/summary", "GET /skills/summary", {
    startDate: start.toISOString(),
    endDate: iso(end),
  });
  if (answer.status === 403) info.refused.push("GET /skills/summary");
  const status = ok(answer) ? 200 : answer.status;
  const out = [
    seen("summaryStatus", [200, 403, 404].includes(status) ? status : null, [
      evidenceOf(answer, ok(answer) ? null : undefined),
    ]),
  ];
  if (!ok(answer))
    return [
      ...out,
      untold("summaryCounts", `answered ${answer.status}`),
      untold("summaryAbandonRateUnit", `answered ${answer.status}`),
    ];
  const answeredEnd = Date.parse(text(isObject(answer.body) ? answer.body.endDate : undefined) ?? "");
  info.summaryBehindS =
    Number.isFinite(answeredEnd) && answeredEnd < end - 1000 ? Math.round((end - answeredEnd) / 1000) : null;
  const rows = listOf(answer.body, "skillSummaries");
  const counted = rows.filter((r) => "connects" in r || "abandonCount" in r || "abandonCounts" in r);
  out.push(
    seen("summaryCounts", rows.length === 0 ? null : counted.length > 0, [
      evidenceOf(answer, { rows: rows.length, withCounts: counted.length }),
    ]),
  );
  // The unit from a row that says both: abandonRate beside abandonCount / connects.
  for (const row of rows) {
    const connects = num(row.connects);
    const abandons = num(row.abandonCount) ?? num(row.abandonCounts);
    const rate = num(row.abandonRate);
    if (!connects || !abandons || rate === undefined) continue;
    const fraction = abandons / connects;
    const unit =
      Math.abs(rate - 100 * fraction) <= 0.6
        ? "percent"
        : Math.abs(rate - fraction) <= 0.006
          ? "fraction"
          : null;
    out.push(
      seen(
        "summaryAbandonRateUnit",
        unit,
        [evidenceOf(answer, { skillId: row.skillId, abandonRate: rate, abandonCount: abandons, connects })],
        unit === null ? "abandonRate matches neither unit of abandonCount / connects" : undefined,
      ),
    );
    return out;
  }
  out.push(
    untold(
      "summaryAbandonRateUnit",
      "no skill has both abandons and connects today to compare abandonRate with",
    ),
  );
  return out;
}

/** The WFM dialer report: its array key and interval length. */
export async function probeWfm(ctx: ReadContext): Promise<Observation[]> {
  const end = clockNowMs();
  const answer = await get(ctx, "/wfm-data/skills/dialer-contacts", "GET /wfm-data/skills/dialer-contacts", {
    startDate: iso(end - 3 * 3_600_000),
    endDate: iso(end),
    mediaTypeId: PHONE_CALL,
  });
  if (!ok(answer))
    return [
      untold("wfmArrayKey", `answered ${answer.status}`, [evidenceOf(answer)]),
      untold("wfmIntervalMinutes", `answered ${answer.status}`),
    ];
  const body = isObject(answer.body) ? answer.body : {};
  const key = "outboundStats" in body ? "outboundStats" : "wfM_OB_StatsV9" in body ? "wfM_OB_StatsV9" : null;
  const rows = key ? listOf(body, key) : [];
  const starts = [
    ...new Set(rows.map((r) => Date.parse(text(r.intervalStartDate) ?? "")).filter(Number.isFinite)),
  ].sort((a, b) => a - b);
  let step: number | undefined;
  for (let i = 1; i < starts.length; i++) {
    const gap = (starts[i]! - starts[i - 1]!) / 60_000;
    if (gap > 0 && (step === undefined || gap < step)) step = gap;
  }
  const evidence = [
    evidenceOf(answer, {
      keys: Object.keys(body),
      rows: rows.length,
      intervalStarts: starts.slice(0, 3).map(iso),
    }),
  ];
  return [
    seen("wfmArrayKey", key, evidence),
    step !== undefined && [15, 30, 60].includes(step)
      ? seen("wfmIntervalMinutes", step, evidence)
      : untold(
          "wfmIntervalMinutes",
          step === undefined
            ? "fewer than two intervals in the last three hours"
            : `intervals ${step} minutes apart`,
          evidence,
        ),
  ];
}
