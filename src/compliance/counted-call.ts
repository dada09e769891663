import type { CallVoice } from "./rule-table.ts";
import type { AttemptTime } from "./verdict.ts";

/**
 * One call as every count of a number's and its debt's calls sees it (debt-calls.ts gathers them;
 * touches-store.ts keeps the imported ones). A type of its own so the store of touches and the
 * gathering that reads it do not import each other.
 */
export interface CountedCall extends AttemptTime {
  /** E.164. */
  phone: string;
  /** An agent talked on it (Regulation F: no call about the debt for 7 days after). */
  conversation: boolean;
  /** CXone's contact id, when the source gives one. */
  contactId?: string | undefined;
  /** A pushed list's record (its external id), when the call was a dial of one. */
  recordId?: string | undefined;
  /** The pushed list the record was dialled on (a record id recurs in every day's list). */
  listId?: string | undefined;
  source: "cxo" | "touch" | "history" | "list" | "completed";
  /** The voice an imported call used, when its row said (absent: not said). */
  voice?: CallVoice | undefined;
}
