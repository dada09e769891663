/**
 * Loose values as call records carry them, and "an agent was on the call" — one rule for every
 * reader of a call record or an outcomes file (platform/call-details.ts re-exports them). Below
 * the platform: a compliance check counts calls by it and loads no module of the platform's.
 */

/** A text: a finite number as its digits, a string trimmed; empty or anything else is none. */
export const text = (value: unknown): string | undefined => {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
};
/** A flag as CXone may send it (`true`, `"true"`). */
export const flag = (value: unknown): boolean | undefined =>
  value === true || value === "true" ? true : value === false || value === "false" ? false : undefined;

/**
 * The agent who handled a call, as an id (a number as its digits); undefined for none: absent,
 * empty, or 0 — CXone writes agent 0 (a number; text in an export) for a call no agent took.
 */
export function agentIdOf(value: unknown): string | undefined {
  const id = text(value);
  return id === undefined || id === "0" ? undefined : id;
}

/**
 * An agent was on the call: Regulation F's conversation, caller-ID health's answered call, the
 * evidence's fact. One rule for every reader of a call record or an outcomes file.
 */
export const agentOn = (agentId: unknown): boolean => agentIdOf(agentId) !== undefined;

/**
 * A list's dial was a conversation (Regulation F) when an agent dispositioned it or was on it:
 * the debt's count of calls and the evidence read a dial by this one rule.
 */
export const dialWasConversation = (dial: { disposition?: unknown; agentId?: unknown }): boolean =>
  dial.disposition !== undefined || agentOn(dial.agentId);
