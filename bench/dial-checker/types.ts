/**
 * What the dial checker judges, stated by the scenario (not derived by cxo): each called number's
 * zone and state, the accounts (debts) and their numbers, the calls made before the run, the
 * revocations with their instants and scopes, and the skill's original schedule.
 */

/** A called number as the scenario places it: its IANA zone and, where a state rule applies, its state. */
export interface CalledNumber {
  phone: string;
  zone: string;
  /** Two-letter state, e.g. "FL": the state rules of `rules.ts` apply when it has a row. */
  state?: string;
}

/** A debt and the consumer's numbers (the subject of Regulation F's counts and the states' caps). */
export interface Account {
  accountId: string;
  phones: string[];
}

/** A call made by the emulator during the run: what is judged. */
export interface Dial {
  /** Names the dial in a violation (e.g. `list 12 record r3 attempt 1`). */
  id: string;
  phone: string;
  /** ISO instant with an offset (or Z). */
  at: string;
  /** A telephone conversation (answered by the consumer, with an agent). */
  conversation: boolean;
  /**
   * The debts the dialled record named (the emulator's record of cxo's `Debts` field), shown in the
   * bench's output only: the checker counts a dial toward every account the scenario lists its
   * number for, whatever the record said.
   */
  debts?: string[];
}

/** A call made before the run (the history): counted, never judged. */
export interface PriorCall {
  phone: string;
  at: string;
  conversation: boolean;
  /** The debt the call was about, when the history says; else every account holding the number. */
  accountId?: string;
}

/**
 * A revocation or Do Not Call request: no call at or after `at` to a number in its scope — the
 * number (`number`, `tenant`: the number for every campaign), or every number of the account.
 */
export interface Revocation {
  at: string;
  scope: "number" | "tenant" | "account";
  phone?: string;
  accountId?: string;
  /** How it arrived (letter, SMS STOP, agent): shown in a violation. */
  channel?: string;
}

/** `HH:MM` to `HH:MM`, local. */
export interface DayHours {
  start: string;
  end: string;
}

/**
 * The skill's original weekly schedule, read in `zone` (the business unit's), by ISO weekday (1 =
 * Monday … 7 = Sunday; a day not given is closed), and its hours per called zone (a zone not given
 * has `defaultHours`, when set). `changes` are the instants a supervisor changed the skill: a dial
 * outside the original schedule within `graceMinutes` after one is tolerated (the watch's time to
 * act), any later one is a violation.
 */
export interface SkillSchedule {
  zone: string;
  weekly: Partial<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, DayHours>>;
  hoursByZone?: Record<string, DayHours>;
  defaultHours?: DayHours;
  changes?: string[];
  graceMinutes?: number;
}

export interface CheckInput {
  numbers: CalledNumber[];
  accounts: Account[];
  history: PriorCall[];
  dials: Dial[];
  revocations: Revocation[];
  schedule?: SkillSchedule;
}

export interface Violation {
  rule: string;
  citation: string;
  /** The dials involved (the judged one last), by id. */
  dials: string[];
  detail: string;
}
