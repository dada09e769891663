import type { ParameterBlocks } from "./model.ts";
import { ZONES } from "./vocabulary.ts";

/** A new PC skill's dialer parameters (predictive, ratio 2.5, 3 % abandonment, 09:00–20:00 weekdays). */
export function defaultParameters(): ParameterBlocks {
  const days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
  const schedule: Record<string, unknown> = { isScheduled: true };
  for (const day of days) {
    const weekend = day === "saturday" || day === "sunday";
    schedule[`${day}StartTime`] = "09:00";
    schedule[`${day}EndTime`] = weekend ? "17:00" : "20:00";
    schedule[`${day}IsActive`] = !weekend;
  }
  const blocks: ParameterBlocks = {
    generalSettings: {
      maximumRatio: 2.5,
      aggressiveness: 5,
      abandonRateThreshold: 3,
      abandonRateCutoff: 3,
      overrideBusinessUnitAbandonRate: true,
      maximumRingingDuration: 30,
      maximumAttempts: 3,
      minimumRetryMinutes: 240,
      maxConcurrentCallsPerAgent: 3,
      dialingMode: "Predictive",
      releaseAgentsOnCompletion: false,
      loadNonFresh: false,
      waitTimeFactor: 2,
      // Conformance §6: only the block's own GET shows these two; the combined GET lacks them.
      deliverCallbacksOnDNCHolidays: false,
      deliverPrioritiesOnDNCHolidays: true,
    },
    deliveryPreferences: {
      confirmationRequiredDisabled: true,
      previewTimeoutSeconds: 0,
      allowSkipOnPreview: false,
    },
    cpaSettings: {
      abandonTimeout: 2,
      answeringMachineDetection: true,
      cpaEnabled: true,
      enableCPALogging: true,
    },
    retrySettings: {
      maximumAttempts: 3,
      minimumRetryMinutes: 240,
      restrictedCallingMinutes: 0,
      loadNonFresh: false,
    },
    scheduleSettings: schedule,
    timeZoneSettings: ZONES.map((zone) => ({ timeZone: zone, startTime: "09:00", endTime: "20:00" })),
    xsSettings: { xsEnabled: false },
  };
  return blocks;
}
