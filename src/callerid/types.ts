/**
 * Caller-ID health: the JSON contract of `cxo callerid health --json` and
 * `client.callerId.health` (DESIGN.md, Round-6 contracts), and the counts the test reads.
 */

export type CallerIdStatus = "ok" | "watch" | "suspect";

/** What a row's verdict rests on: enough to check it by hand and to put in a redress packet. */
export interface CallerIdEvidence {
  /** Where the expectation came from: peer numbers of the same campaign in the same hours, or (no peers) the number's own first days shaped by the strategy model. */
  expectation: "peers" | "baseline";
  /** Other numbers (or pools) the expectation was read from. */
  peers: number;
  /** The sequential test's statistic now, and the levels of `watch` and `suspect`. */
  cusum: number;
  watchAt: number;
  suspectAt: number;
  /** Calls, answers and expected answers over the whole window: every call the history has for the number (the row's own figures are since `onset` when not ok). */
  windowCalls: number;
  /**
   * Which calls the row's `calls`, `answered` and rates are over: `window` (every call of the
   * window: `calls` is `windowCalls`, the history's count for the number) or `since onset` (watch
   * or suspect: the drop itself, fewer than `windowCalls`).
   */
  callsCounted: "window" | "since onset";
  windowAnswered: number;
  windowExpected: number;
  /** Average calls per calendar day and per week over the window (a redress form asks for them). */
  dailyVolume: number;
  weeklyVolume: number;
  firstCallAt: string;
  lastCallAt: string;
  /** Up to 5 unanswered calls after onset (a remediation form asks for example timestamps). */
  exampleUnanswered: string[];
  /** The numbers tested as one (they share a registration or CNAM: `--pools FILE`). */
  pool?: { name: string; members: string[] };
  /** One sentence. */
  summary: string;
}

export interface CallerIdHealthRow {
  callerId: string;
  /**
   * Calls, answers and rates since `onset` when the status is watch or suspect (the drop itself:
   * then fewer than the history's calls for the number), else over the whole window.
   * `evidence.windowCalls` is always every call of the window.
   */
  calls: number;
  answered: number;
  answerRate: number;
  expectedAnswerRate: number;
  /** answered / expected answers, over the same calls. */
  ratio: number;
  status: CallerIdStatus;
  /** When the test first crossed into the current status (watch or suspect). */
  since?: string;
  /** The estimated start of the drop (CUSUM's last zero before the crossing). */
  onset?: string;
  /** The terminating carrier of the calls tested (only with a carrier column). */
  carrier?: string;
  /** The campaign (or list) whose numbers were compared. */
  campaignId: string;
  evidence: CallerIdEvidence;
}

/** Calls and answers of one series (a number, or a pool, per carrier) in one hour. */
export interface HourCount {
  hour: number;
  calls: number;
  answered: number;
  /**
   * With a strategy model: the sum over the hour's calls of the model's answer rate at each
   * call's slot (the called party's local hour of week) relative to its mean; calls / shape is
   * then the hour's own pattern. Absent: every call counts 1.
   */
  shape?: number;
}

/** The tested unit: a number (or a pool of numbers) on a campaign, per carrier when split. */
export interface Series {
  /** The pool's name, or the number itself. */
  name: string;
  members: string[];
  campaignId: string;
  carrier: string | undefined;
  /** Ascending by hour. */
  hours: HourCount[];
  firstMs: number;
  lastMs: number;
  /** The most recent unanswered calls' times (ms), newest last, at most UNANSWERED_KEPT. */
  unanswered: number[];
}

export const UNANSWERED_KEPT = 64;

export interface HealthOptions {
  /** Probability of a false `suspect` per number per 21 days, in (0, 0.5]; default 0.01. */
  falseAlarmRate?: number;
  /** The drop the test is tuned to detect fastest (answers × this); default 0.45 (calibration.ts says why). */
  designRatio?: number;
  /** Days of a number's own history that set its level when it has no peers; default 7. */
  baselineDays?: number;
  /**
   * How the thresholds are set: `simulated` (default) the chain's per number, shifted together so
   * that the campaign's numbers simulated as not labelled cross at 0.8 of the rate asked
   * (null-simulation.ts); `chain` the chain's alone (the pass before; tests and the bench compare).
   */
  calibration?: "simulated" | "chain";
}
