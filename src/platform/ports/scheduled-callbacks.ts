/**
 * Scheduled callbacks: a number an agent of a skill calls back at a set time, outside any calling
 * list (CXone's `scheduled-callbacks` routes; an agent makes one by rescheduling a call, a client
 * by `POST scheduled-callbacks`). CXone dials them whatever cxo's lists hold, so a callback to a
 * number that has since revoked consent must be found and deleted. A platform without them (the
 * seed API) has no such port: `support` refuses `scheduledCallbacks` before anything is sent.
 */
export interface ScheduledCallback {
  callbackId: string;
  /** E.164 for a NANP number (CXone gives ten digits); otherwise the digits as CXone gave them. */
  phone: string;
  skillId: string | undefined;
  /** The agent it is targeted at, when one is. */
  agentId: string | undefined;
  /** When CXone is to dial it (ISO 8601, UTC); undefined when the answer did not say. */
  callbackAt: string | undefined;
  firstName: string | undefined;
  lastName: string | undefined;
  notes: string | undefined;
}

/** A callback to schedule: checked by the caller (NANP number, a future instant with an offset). */
export interface NewScheduledCallback {
  /** E.164, NANP. */
  phone: string;
  skillId: string;
  /** ISO 8601 with an offset. */
  at: string;
  agentId?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  notes?: string | undefined;
}

export interface ScheduledCallbacksPort {
  /** The skill's pending callbacks. */
  forSkill(skillId: string, signal?: AbortSignal): Promise<ScheduledCallback[]>;
  /** The callbacks targeted at one agent. */
  forAgent(agentId: string, signal?: AbortSignal): Promise<ScheduledCallback[]>;
  /** One callback; undefined when CXone no longer holds it (dialled or deleted). */
  get(callbackId: string, signal?: AbortSignal): Promise<ScheduledCallback | undefined>;
  /**
   * Every pending callback of the tenant: CXone lists them per skill or per agent only, so this
   * reads every outbound voice skill's. `skills` names the skills read (what "every" covered).
   */
  pending(signal?: AbortSignal): Promise<{ skills: string[]; callbacks: ScheduledCallback[] }>;
  /**
   * Deletes one. "gone": CXone no longer held it (dialled, or deleted by someone else), which
   * leaves nothing to delete; any other failure is thrown.
   */
  cancel(callbackId: string, reason: string, signal?: AbortSignal): Promise<"deleted" | "gone">;
  /** Schedules one; answers its id. */
  create(callback: NewScheduledCallback, signal?: AbortSignal): Promise<{ callbackId: string }>;
}
