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
  // Issue 75: every field below is in calljacob's generated models (AdminSkillsService at 28a1bd4:
  // the combined GET's blocks, the general settings' own GET, the PUT models) and, for delivery
  // preferences and CPA, in NICE's own SDK models (19 and 24 fields); nothing else is invented.
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
      defaultContactExpiration: 30,
      getPriorityContactsOnContactInsertion: false,
      loadCallbacks: true,
      loadFresh: true,
      loadNonFresh: false,
      beginDampenPercentage: 0,
      inactiveBlenderTimer: 0,
      endOfListNotificationsDelay: 0,
      notifyAgentsWhenListIsEmpty: false,
      percentageOfAgentsBeforeOverdial: 0,
      blockMultipleCalls: false,
      consecutiveAttemptsWithoutALiveConnect: 0,
      enableDialingByProficiency: false,
      proficiencyFactor: 0,
      maxConcurrentCallsPerAgent: 3,
      maxWaitTimeSeconds: 0,
      waitTimeFactor: 2,
      // Conformance §6: only the block's own GET shows these two; the combined GET lacks them.
      deliverCallbacksOnDNCHolidays: false,
      deliverPrioritiesOnDNCHolidays: true,
    },
    deliveryPreferences: deliveryPreferences(),
    cpaSettings: cpaSettings(),
    retrySettings: {
      loadNonFresh: false,
      finalizeWhenExhausted: true,
      maximumAttempts: 3,
      minimumRetryMinutes: 240,
      maximumNumberOfHandledCalls: 0,
      restrictedCallingMinutes: 0,
      restrictedCallingMaxAttempts: 0,
      generalStaleMinutes: 0,
      callbackRestMinutes: 0,
      releaseAgentSpecificCalls: false,
      maximumNumberOfCallbacks: 0,
      callbackStaleMinutes: 0,
    },
    scheduleSettings: schedule,
    // Kept under `timeZone` here; shown under the knob `zoneNameKey` (`name` by default, as
    // calljacob's GET model names it). The other fields are calljacob's row model's.
    timeZoneSettings: ZONES.map((zone) => ({
      timeZone: zone,
      description: zone,
      overrideTime: true,
      timeZoneActiveToCall: true,
      startTime: "09:00",
      endTime: "20:00",
    })),
    xsSettings: xsSettings(),
  };
  return blocks;
}

/** calljacob's delivery-preferences fields (NICE's SDK model has the same 19). */
function deliveryPreferences(): Record<string, unknown> {
  return {
    confirmationRequiredDisabled: true,
    confirmationRequiredDeliveryType: 0,
    confirmationRequiredTimeout: 0,
    confirmationRequiredTimeoutSubsequent: 0,
    confirmationRequiredDefaultAccept: false,
    confirmationRequiredDefault: false,
    complianceRecordsDisabled: true,
    complianceRecordsDeliveryType: 0,
    complianceRecordsTimeout: 0,
    complianceRecordsTimeoutSubsequent: 0,
    complianceRecordsDefaultAccept: false,
    showComplianceButtonReschedule: true,
    showComplianceButtonRequeue: true,
    showComplianceButtonSnooze: true,
    showComplianceButtonDisposition: true,
    showPreviewButtonReschedule: true,
    showPreviewButtonRequeue: true,
    showPreviewButtonSnooze: true,
    showPreviewButtonDisposition: true,
  };
}

/** calljacob's CPA fields (the combined GET's 23; NICE's SDK model adds the PUT's `ansMachineOverrideSeconds`). */
function cpaSettings(): Record<string, unknown> {
  return {
    abandonTimeout: 2,
    abandonMessagePath: "",
    abandonMsgMode: 0,
    ansMachineDetMode: 1,
    ansMachineMsg: "",
    exceptions: [],
    treatProgressAsRinging: false,
    preConnectCPAEnabled: false,
    agentOverrideOptionFax: true,
    agentOverrideOptionAnsweringMachine: true,
    agentOverrideOptionBadNumber: true,
    utteranceMinimumSeconds: 0.1,
    customerLiveSilenceSeconds: 1.2,
    machineMinimumWithAgentSeconds: 1.7,
    machineMinimumWithoutAgentSeconds: 1.7,
    machineEndSilenceSeconds: 1.5,
    machineEndTimeoutSeconds: 30,
    agentResponseUtteranceMinimumSeconds: 0.5,
    agentNoResponseSeconds: 3,
    agentVoiceThreshold: 5,
    customerVoiceThreshold: 5,
    preConnectCPARecording: false,
    enableCPALogging: true,
  };
}

/** calljacob's XS fields. */
function xsSettings(): Record<string, unknown> {
  return {
    xsScriptId: 0,
    xsCheckinScriptId: 0,
    externalOutboundSkill_No: "",
    xsSkillChangedActive: false,
    xsGetContactsActive: false,
    xsFreshThreshold: 0,
    xsAvailableThreshold: 0,
    xsReadyThreshold: 0,
    xsNumberToRetrieve: 0,
  };
}
