import type { FastifyInstance } from "fastify";
import type { CxoneContext } from "../context.ts";
import { invalid } from "../errors.ts";
import { apiRoute, integer, sendEmpty, sendJson } from "../http.ts";
import { parseDate } from "./dates.ts";

/**
 * §C2 #27 `GET …/wfm-data/skills/dialer-contacts`: per-interval dialer counts of each outbound
 * skill, derived from the warehoused contacts (dials, connects = an agent talked, right-party
 * connects, abandons; AHTs as strings). The array key and interval length are knobs.
 */
const MAX_RANGE_MS = 31 * 86_400_000;

interface Row {
  dials: number;
  connects: number;
  connectSeconds: number;
  rightParty: number;
  rightPartySeconds: number;
  abandons: number;
}

export function registerWfmRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;

  apiRoute(app, { method: "GET", path: "/wfm-data/skills/dialer-contacts", group: "wfm" }, (call) => {
    const from = parseDate(call.query, "startDate");
    const to = parseDate(call.query, "endDate");
    if (from === null) throw invalid("startDate", "is required");
    if (to === null) throw invalid("endDate", "is required");
    if (to <= from) throw invalid("endDate", "is not after startDate");
    if (to - from > MAX_RANGE_MS) throw invalid("endDate", "is more than 31 days after startDate");
    const mediaTypeId = integer(call.query, "mediaTypeId", 0);
    if (mediaTypeId !== null && mediaTypeId !== 4) return sendEmpty(call.reply, 204);
    const intervalMs = state.knobs.wfmIntervalMinutes * 60_000;
    const rows = new Map<string, Row>();
    state.warehouse.forEachIn(from, to, state.visibleUntilMs(), (f) => {
      if (!f.isOutbound) return;
      const interval = Math.floor(f.contactStartMs / intervalMs) * intervalMs;
      const key = `${interval}:${f.skillId}`;
      let row = rows.get(key);
      if (!row) {
        row = { dials: 0, connects: 0, connectSeconds: 0, rightParty: 0, rightPartySeconds: 0, abandons: 0 };
        rows.set(key, row);
      }
      row.dials += 1;
      if (f.abandoned) row.abandons += 1;
      if (f.agentSeconds > 0) {
        const handle = f.agentSeconds + f.acwSeconds + f.holdSeconds;
        row.connects += 1;
        row.connectSeconds += handle;
        const disposition =
          f.primaryDispositionId === null ? undefined : state.dispositions.get(f.primaryDispositionId);
        if (disposition?.rightParty) {
          row.rightParty += 1;
          row.rightPartySeconds += handle;
        }
      }
    });
    if (rows.size === 0) return sendEmpty(call.reply, 204);
    const aht = (seconds: number, n: number) => (n === 0 ? "0.0" : (seconds / n).toFixed(1));
    const out = [...rows.entries()]
      .map(([key, row]) => {
        const [interval, skillId] = key.split(":").map(Number) as [number, number];
        return {
          businessUnitId: state.businessUnitId,
          intervalStartDate: new Date(interval).toISOString(),
          skillId,
          skillName: state.skills.get(skillId)?.skillName ?? "",
          mediaTypeId: 4,
          mediaTypeName: "Phone Call",
          dials: row.dials,
          connects: row.connects,
          connectsAHT: aht(row.connectSeconds, row.connects),
          rightPartyConnects: row.rightParty,
          rightPartyConnectsAHT: aht(row.rightPartySeconds, row.rightParty),
          abandons: row.abandons,
        };
      })
      .sort((a, b) => a.intervalStartDate.localeCompare(b.intervalStartDate) || a.skillId - b.skillId);
    return sendJson(ctx, call.reply, { [state.knobs.wfmArrayKey]: out });
  });
}
