import { z } from "zod";
import { ID_PATTERN, ID_RULE } from "../ids.ts";

/** `HH:MM` on a 24-hour clock, in the business unit's zone. */
const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const localTime = (example: string) =>
  z.string().regex(LOCAL_TIME, `must be a time of day HH:MM (24-hour), e.g. ${example}`);

/**
 * One campaign the autopilot runs (issue 91 §2): each morning learn when due, plan for what the
 * skill can dial, push; through the day honour consent, watch the skill, re-plan held records;
 * at the day's end the day report. Files are read afresh each morning, so a list or model a
 * person replaces is what the next morning plans from.
 */
export const autopilotCampaignSchema = z
  .strictObject({
    /** The campaign (production: the Personal Connection skill id) of this business unit. */
    campaign: z.string().regex(ID_PATTERN, ID_RULE),
    kind: z.enum(["sales", "collections"], { error: "must be sales or collections" }),
    /** When the morning's plan and push run, in the business unit's zone. */
    morning: localTime("07:00").default("07:00"),
    /** When the day's report is written (and nothing more is pushed that day), same zone. */
    evening: localTime("21:00").default("21:00"),
    /** The list file (CSV or NDJSON, as `cxo strategy plan --list` reads). */
    list: z.string().min(1),
    /** The model file (`cxo strategy learn --out`); re-learned in place when `learnEveryDays` is set. */
    model: z.string().min(1),
    /** An outcomes export counted as the calls already made, or `campaign` (read from CXone). */
    history: z.string().min(1).optional(),
    /**
     * Learn the model again from the campaign's outcomes of the last `learnDays` days every this
     * many days (0: never; the model file is then only read).
     */
    learnEveryDays: z.number().int().min(0).max(90).default(0),
    learnDays: z.number().int().min(1).max(90).default(28),
    /** Set the skill's retry settings to what the plan needs (`strategy push --fit-skill`). */
    fitSkill: z.boolean().default(true),
    /**
     * Records held back for their debt (one record per account per list): `sibling-outcome` plans
     * them again through the day once the record sent in their place has its outcome (none after
     * a conversation, as Regulation F says); `next-morning` leaves them to the next day's plan.
     */
    replanHeld: z.enum(["sibling-outcome", "next-morning"]).default("sibling-outcome"),
    /**
     * A record dialled today and not answered is planned again for later in the day, up to this
     * many times, once its dial window has closed, no number of its debt had a conversation today
     * and none waits behind it (the push judges every cap again); 0: once a day.
     */
    retryUnanswered: z.number().int().min(0).max(5).default(1),
    /**
     * Days an account an agent talked to rests: none of its numbers is planned (Regulation F says
     * 7 for a debt; a sales household's answer was the call that reached it). 0: no rest beyond the law's.
     */
    restAfterConversationDays: z.number().int().min(0).max(30).default(7),
    /** Attempts planned per record in the day's plan (the plan's horizon is the day). */
    attemptsPerRecord: z.number().int().min(1).max(10).default(1),
    /** Most attempts planned per hour (the dialer's capacity); absent: no cap. */
    capacityPerHour: z.number().int().min(1).max(1_000_000).optional(),
  })
  .refine((c) => c.morning < c.evening, {
    path: ["evening"],
    message: "must be after morning (the day runs from morning to evening, in the business unit's zone)",
  });

export const autopilotSchema = z.strictObject({
  /**
   * The business unit a top-level section belongs to when several are configured (else the
   * section goes under `tenants.NAME.autopilot`): a campaign id means nothing without its unit.
   */
  tenant: z.string().min(1).optional(),
  /** How often `cxo serve` runs the autopilot's step (minutes of the clock). */
  intervalMinutes: z.number().int().min(1).max(60).default(5),
  /** The business unit's zone for `morning` and `evening` (default: `service.timeZone`). */
  timeZone: z.string().min(1).optional(),
  /** A directory the day reports are also written to, one JSON file per campaign and day. */
  reportDir: z.string().min(1).optional(),
  /**
   * A failure that passes (a CXone that answers 503, a DNC route down) but lasts longer than this
   * many minutes of the clock becomes an attention item: the board, a signed
   * `autopilot.attention` event and exit 1 from `run --once`, once per episode.
   */
  escalateAfterMinutes: z
    .number({ error: "must be a number of minutes above 0" })
    .int("must be a whole number of minutes")
    .min(1, "must be a number of minutes above 0")
    .max(10_080, "must be at most 10080 (a week)")
    .default(30),
  campaigns: z.array(autopilotCampaignSchema).max(100).default([]),
});

export type AutopilotSettings = z.infer<typeof autopilotSchema>;
export type AutopilotCampaign = z.infer<typeof autopilotCampaignSchema>;
