import { describe, expect, it } from "vitest";
import { historyAttemptOf } from "../../src/strategy/history.ts";
import type { OutcomeRecord } from "../../src/strategy/types.ts";

/**
 * A history row with an agent on it is a conversation (Regulation F's 7 days after one, per debt),
 * whether the file gives the agent's id as text (`cxo outcomes export`) or as a JSON number (CXone's
 * own ids, a CRM's export). Issue 89's week: a Friday conversation with `"agentId": 1001` was read
 * as no conversation, and the debt was called again on Monday.
 */
const row = (agentId: unknown) =>
  ({
    campaignId: "601",
    startTime: "2026-12-04T21:00:00.000Z",
    phoneNumber: "+13125558161",
    dispositionCode: "CALLBACK_REQUESTED",
    agentId,
    durationSeconds: 240,
  }) as unknown as OutcomeRecord;

describe("a history row's agent", () => {
  it.each([
    ["text", "1001", true],
    ["a JSON number", 1001, true],
    ["null", null, false],
    ["empty text", "", false],
    ["zero", 0, false],
  ])("given as %s (%j): conversation %s", (_label, agentId, conversation) => {
    expect(historyAttemptOf(row(agentId))?.conversation).toBe(conversation);
  });
});
