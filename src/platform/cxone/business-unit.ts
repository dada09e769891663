import { raceSignal } from "../../core/clock/clock.ts";
import type { EndpointGroup } from "../../core/http/group-names.ts";
import type { ProductionApi } from "./api.ts";
import { ianaZoneOf } from "./time-zones.ts";
import { listOf, text } from "./tolerant.ts";

/**
 * The business unit's time zone (IANA), read once per client and shared by every reader: a
 * campaign's compliance window and live pacing's "today" both start at the unit's own midnight.
 * The shared read carries no caller's signal (one caller giving up must not fail the others); a
 * failed read is not kept, so one bad answer does not pin the zone to UTC for the process's life.
 */
export function businessUnitZone(api: ProductionApi, group: EndpointGroup) {
  let pending: Promise<string> | undefined;
  return async (signal?: AbortSignal): Promise<string> => {
    pending ??= api
      .request({ method: "GET", path: "/business-unit", endpoint: "GET /business-unit", group })
      .then((r) => ianaZoneOf(text(listOf(r.body, "businessUnits")[0]?.defaultTimeZone)) ?? "UTC");
    const read = pending;
    try {
      return await raceSignal(read, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      if (pending === read) pending = undefined;
      return "UTC";
    }
  };
}
