import { z } from "zod";
import { jsonNumber } from "../core/json-number.ts";

/**
 * The day report and its parts as zod schemas: the one definition of their shape. The types
 * (types.ts) are inferred from them, and the board's answer (service/answers/panels.ts) is a
 * part of `dayReportSchema`, so what the autopilot writes and what the board serves cannot drift
 * apart. Imports zod only (the console's type-check reads this file through the board's answers).
 */

/** The autopilot's steps, in the order a day runs them; `held`: another run was advancing the campaign (campaign-run-lease.ts). */
export const stepNameSchema = z.enum([
  "learn",
  "plan",
  "push",
  "honour",
  "watch",
  "replan",
  "why",
  "callerid",
  "report",
  "held",
]);

/** One thing the autopilot did beyond its plan and push, or one thing that went wrong. */
export const dayNoteSchema = z.object({
  at: z.string(),
  step: stepNameSchema,
  text: z.string(),
});

/** A record held back for its debt by a push, and what became of it. */
export const heldRecordSchema = z.object({
  recordId: z.string(),
  accountId: z.string(),
  /** Every debt of a record whose number is listed for several, `accountId` first. */
  accountIds: z.array(z.string()).optional(),
  /** `waiting` for the sibling's outcome; `replanned` (pushed again); `dropped` (and why). */
  state: z.enum(["waiting", "replanned", "dropped"]),
  why: z.string(),
});

/** Set when something the autopilot cannot judge happened: no push until `cxo autopilot resume`. */
export const stoppedSchema = z.object({ at: z.string(), code: z.string(), reason: z.string() });

/** The evidence of the dials CXone made on a day's lists. */
export const dayEvidenceSchema = z.object({
  attempts: jsonNumber(),
  notAllowed: jsonNumber(),
  /** Attempts not allowed, by reason code. */
  reasons: z.record(z.string(), jsonNumber()),
  files: z.array(z.string()),
  /** A list whose evidence could not be made (the report is written all the same). */
  errors: z.array(z.string()).optional(),
});

/** The day report (docs/autopilot.md lists its fields). */
export const dayReportSchema = z.object({
  campaign: z.string(),
  kind: z.enum(["sales", "collections"]),
  date: z.string(),
  zone: z.string(),
  writtenAt: z.string(),
  planned: jsonNumber(),
  pushed: jsonNumber(),
  /** Dials CXone made on the day's lists, and those answered by a person (an agent on the call). */
  dialled: jsonNumber(),
  answered: jsonNumber(),
  /** Records dialled at least once, of those pushed. */
  recordsReached: jsonNumber(),
  blocked: z.record(z.string(), jsonNumber()),
  held: z.object({
    total: jsonNumber(),
    replanned: jsonNumber(),
    dropped: jsonNumber(),
    waiting: jsonNumber(),
    records: z.array(heldRecordSchema),
  }),
  refused: z.array(dayNoteSchema),
  revocations: z.object({
    received: jsonNumber(),
    honouredToday: jsonNumber(),
    late: jsonNumber(),
    overdue: jsonNumber(),
    callsAfter: jsonNumber(),
    /** Minutes from receipt to honoured in CXone: the longest and the median (null: none honoured). */
    lagMinutes: z.object({ max: jsonNumber().nullable(), median: jsonNumber().nullable() }),
    /**
     * Why the figures above are not known (the consent report could not be made): then they are
     * not "0 overdue" but unknown, and the board says so.
     */
    unknown: z.string().optional(),
  }),
  drifts: z.array(dayNoteSchema),
  interventions: z.array(dayNoteSchema),
  retried: z.array(dayNoteSchema),
  /** `cxo why`'s causes at the day's end (codes), and caller-ID numbers labelled suspect. */
  why: z.array(z.string()),
  suspectCallerIds: z.array(z.string()),
  stopped: stoppedSchema.optional(),
  /**
   * The evidence of every dial CXone made on the day's lists (`cxo compliance
   * evidence --list`, one file per list beside the report in `autopilot.reportDir`): how many,
   * how many not allowed and why. Absent without a report directory.
   */
  evidence: dayEvidenceSchema.optional(),
});
