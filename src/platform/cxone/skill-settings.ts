import type { ProductionApiSettings } from "../../core/config/schema.ts";
import type { DialerSettings } from "../ports/dialer.ts";
import type { CampaignDefinition, Weekday } from "../types.ts";
import { bool, isObject, num, type Raw } from "./tolerant.ts";

/**
 * Domain settings ↔ a Personal Connection skill's parameter blocks. Units and ranges are not
 * confirmed (docs/platforms.md): the abandon rate is a percent by default
 * (`abandonRateUnit`), the dial ratio is `maximumRatio` (1 = progressive; lines per agent by
 * default, `maximumRatioUnit`), preview is delivery
 * preference `confirmationRequiredDisabled: false`.
 */
type Unit = ProductionApiSettings["abandonRateUnit"];
type RatioUnit = ProductionApiSettings["maximumRatioUnit"];
/** The units a skill's parameters are written in (not confirmed: settings, emulator knobs). */
export interface ParameterUnits {
  abandonRateUnit: Unit;
  maximumRatioUnit: RatioUnit;
}

export const abandonRateOut = (fraction: number, unit: Unit): number =>
  unit === "percent" ? Math.round(fraction * 100 * 1000) / 1000 : fraction;
export const abandonRateIn = (value: number, unit: Unit): number =>
  unit === "percent" ? Math.round((value / 100) * 1e6) / 1e6 : value;

export const maximumRatioOut = (ratio: number, unit: RatioUnit): number =>
  unit === "percent" ? Math.round(ratio * 100 * 1000) / 1000 : ratio;
export const maximumRatioIn = (value: number, unit: RatioUnit): number =>
  unit === "percent" ? Math.round((value / 100) * 1e6) / 1e6 : value;

const DAYS: Weekday[] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const hhmm = (clock: string) => clock.slice(0, 5);

/** The parameter blocks a new campaign's skill gets, in order: [block path, PUT body]. */
export function campaignSettingsBlocks(
  definition: CampaignDefinition,
  options: Pick<ProductionApiSettings, "abandonRateUnit"> &
    Partial<Pick<ProductionApiSettings, "maximumRatioUnit" | "inactiveScheduleDays">>,
): Array<[string, unknown]> {
  const blocks: Array<[string, unknown]> = [];
  const { dialer, compliance } = definition;
  const predictive = dialer.predictive;
  blocks.push([
    "general-settings",
    {
      generalSettings: {
        // An answer ratio of 0.4 means 1 call in 2.5 is answered: dial 2.5 lines per agent [I].
        maximumRatio: maximumRatioOut(
          dialer.type === "predictive" && predictive && predictive.answerRatio > 0
            ? Math.min(10, Math.round((1 / predictive.answerRatio) * 10) / 10)
            : 1,
          options.maximumRatioUnit ?? "ratio",
        ),
        ...(predictive
          ? {
              abandonRateThreshold: abandonRateOut(predictive.abandonmentThreshold, options.abandonRateUnit),
              abandonRateCutoff: abandonRateOut(predictive.abandonmentThreshold, options.abandonRateUnit),
              overrideBusinessUnitAbandonRate: true,
            }
          : {}),
      },
    },
  ]);
  if (dialer.type === "preview")
    blocks.push(["delivery-preferences", { deliveryPreferences: { confirmationRequiredDisabled: false } }]);
  const schedule: Record<string, unknown> = { isScheduled: true };
  // A tenant that refuses an inactive day gets every day active, each with a real window (a
  // zero-length one is refused too); the closed days are kept by cxo (closed-days.ts).
  const everyDay = (options.inactiveScheduleDays ?? "refused") === "refused";
  for (const day of DAYS) {
    const key = day.toLowerCase();
    const on = everyDay || compliance.allowedDays.includes(day);
    schedule[`${key}IsActive`] = on;
    schedule[`${key}StartTime`] = hhmm(compliance.windowStart);
    schedule[`${key}EndTime`] = hhmm(compliance.windowEnd);
  }
  blocks.push(["schedule-settings", { scheduleSettings: schedule }]);
  const perDay = compliance.maxCallsPerContactPerDay;
  const perWeek = compliance.maxCallsPerContactPerWeek;
  if (perDay !== undefined || perWeek !== undefined) {
    // Nearest equivalents: a lifetime attempt cap per record, and a minimum gap between attempts.
    blocks.push([
      "retry-settings",
      {
        retrySettings: {
          maximumAttempts: perWeek ?? perDay,
          ...(perDay ? { minimumRetryMinutes: Math.ceil(1440 / perDay) } : {}),
        },
      },
    ]);
  }
  return blocks;
}

/** A skill's parameters (`GET /skills/{id}/parameters`) → the domain's dialer settings. */
export function dialerSettingsOf(parameters: Raw, units: ParameterUnits): DialerSettings {
  const unit = units.abandonRateUnit;
  const general = isObject(parameters.generalSettings) ? parameters.generalSettings : {};
  const delivery = isObject(parameters.deliveryPreferences) ? parameters.deliveryPreferences : {};
  const cpa = isObject(parameters.cpaSettings) ? parameters.cpaSettings : {};
  const written = num(general.maximumRatio);
  const ratio = written === undefined ? 1 : maximumRatioIn(written, units.maximumRatioUnit);
  const preview = bool(delivery.confirmationRequiredDisabled) === false;
  const abandon = num(general.abandonRateThreshold);
  const warm = num(cpa.abandonTimeout);
  return {
    // No per-skill agent cap or call ceiling (maxConcurrentCallsPerAgent is per agent, not the
    // same thing): see UNSUPPORTED_DIALER_FIELDS.
    concurrency: {},
    algorithm: {
      type: preview ? "preview" : ratio > 1 ? "predictive" : "progressive",
      abandonmentTarget: abandon === undefined ? 0 : abandonRateIn(abandon, unit),
      dialRatio: ratio,
      ...(warm === undefined ? {} : { warmLineTimeoutSec: warm }),
    },
  };
}

/** The parameter blocks a settings change writes, only the fields the domain carries. */
export function dialerBlocksOf(settings: DialerSettings, units: ParameterUnits): Array<[string, unknown]> {
  const unit = units.abandonRateUnit;
  const a = settings.algorithm;
  const general: Raw = {
    maximumRatio: maximumRatioOut(a.type === "progressive" ? 1 : a.dialRatio, units.maximumRatioUnit),
    abandonRateThreshold: abandonRateOut(a.abandonmentTarget, unit),
    abandonRateCutoff: abandonRateOut(a.abandonmentTarget, unit),
    overrideBusinessUnitAbandonRate: true,
  };
  const blocks: Array<[string, unknown]> = [
    ["general-settings", { generalSettings: general }],
    ["delivery-preferences", { deliveryPreferences: { confirmationRequiredDisabled: a.type !== "preview" } }],
  ];
  if (a.warmLineTimeoutSec !== undefined)
    blocks.push(["cpa-management", { cpaSettings: { abandonTimeout: a.warmLineTimeoutSec } }]);
  return blocks;
}
