import { agentIdOf } from "../../core/call-agent.ts";
import { raceSignal } from "../../core/clock/clock.ts";
import type { ProductionApi } from "./api.ts";
import type { ContactView } from "./contacts.ts";
import { listOf, type Raw, text } from "./tolerant.ts";

/**
 * The live calls of one skill, read in one request (`GET /contacts/active?skillId=`) and kept
 * for a short while, so tagging a file of one campaign's calls costs one read per
 * LIVE_CONTACTS_TTL_MS instead of three reads per row (issue 29: ~8 requests a row became the
 * two writes plus this cached read).
 *
 * Why this cannot serve stale data across a write it did not see:
 * - It keeps only WHO is live on the skill, with each call's skill and agent: what the
 *   set-disposition body and the agent-session path need. Nothing of a call's disposition,
 *   notes or tags is kept, so no write (ours or anyone's) can make a cached disposition wrong.
 *   No write of ours changes what is kept: setting a disposition or tags neither ends a call
 *   nor moves it to another skill or agent.
 * - What changes without us is a call starting or ending. A call that started after the read
 *   is simply absent: its row reads that contact on its own (the per-row path), never a guess.
 *   A call that ended after the read is still listed for at most the TTL (on the client's
 *   clock); set-disposition on it is refused by CXone (it sets a disposition only on a
 *   connected contact: HELP-SD), the refusal is then checked against that contact alone, and
 *   what the refusal shows is applied here (`forget`: the call, or the whole skill when it is
 *   not running). The per-row read had the same race, in the round trip between its read and
 *   the write.
 * - Bounded: one snapshot per skill for at most MAX_SKILLS skills (the oldest read goes first),
 *   each at most one page of LIVE_CONTACTS_PAGE calls (the platform's per-response cap); a call
 *   past it is read on its own. Concurrent rows share one read; each leaves on its own signal.
 */
export const LIVE_CONTACTS_TTL_MS = 2000;
export const LIVE_CONTACTS_PAGE = 10_000;
const MAX_SKILLS = 16;

interface Snapshot {
  readAt: number;
  calls: Promise<Map<string, Raw>>;
}

export class LiveContacts {
  private readonly api: ProductionApi;
  private readonly ttlMs: number;
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(api: ProductionApi, ttlMs = LIVE_CONTACTS_TTL_MS) {
    this.api = api;
    this.ttlMs = ttlMs;
  }

  /** The call as its skill's live list shows it, or undefined when it is not there. */
  async find(skillId: string, contactId: string, signal?: AbortSignal): Promise<ContactView | undefined> {
    const record = (await raceSignal(this.snapshotOf(skillId).calls, signal)).get(contactId);
    if (!record) return undefined;
    return {
      id: contactId,
      skillId: text(record.skillId) ?? skillId,
      primaryDispositionId: undefined,
      dispositionName: undefined,
      secondaryDispositionId: undefined,
      notes: undefined,
      agentId: agentIdOf(record.agentId), // CXone writes 0 for a call no agent has taken
      tags: [],
      lastUpdateTime: undefined,
      active: true,
      raw: record,
    };
  }

  /** What a refusal showed: the call is no longer live (or, without one, the skill is not running). */
  forget(skillId: string, contactId?: string): void {
    const snapshot = this.snapshots.get(skillId);
    if (!snapshot) return;
    if (contactId === undefined) {
      this.snapshots.delete(skillId);
      return;
    }
    void snapshot.calls.then(
      (calls) => calls.delete(contactId),
      () => undefined,
    );
  }

  private snapshotOf(skillId: string): Snapshot {
    const now = this.api.now();
    const held = this.snapshots.get(skillId);
    if (held && now - held.readAt < this.ttlMs && now >= held.readAt) return held;
    // No caller's signal on the shared read: one caller giving up must not fail the others.
    const snapshot: Snapshot = { readAt: now, calls: this.read(skillId) };
    this.snapshots.delete(skillId);
    this.snapshots.set(skillId, snapshot);
    for (const oldest of this.snapshots.keys()) {
      if (this.snapshots.size <= MAX_SKILLS) break;
      this.snapshots.delete(oldest);
    }
    snapshot.calls.catch(() => {
      // A failed read is not kept: the next row tries again.
      if (this.snapshots.get(skillId) === snapshot) this.snapshots.delete(skillId);
    });
    return snapshot;
  }

  private async read(skillId: string): Promise<Map<string, Raw>> {
    const response = await this.api.request({
      method: "GET",
      path: "/contacts/active",
      endpoint: "GET /contacts/active",
      group: "dispositions",
      query: { skillId, skip: 0, top: LIVE_CONTACTS_PAGE },
    });
    const calls = new Map<string, Raw>();
    if (response.status === 204) return calls;
    for (const record of listOf(response.body, "activeContacts")) {
      const id = text(record.contactId);
      // Another skill's call (a server that ignored the filter) is not this skill's: not kept.
      if (id !== undefined && (text(record.skillId) ?? skillId) === skillId) calls.set(id, record);
    }
    return calls;
  }
}
