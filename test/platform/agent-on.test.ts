import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { answeredOf } from "../../src/callerid/records.ts";
import { attemptOfCall, attemptOfDial, attemptOfRecord } from "../../src/compliance/evidence/sources.ts";
import { agentIdOf, agentOn, dialWasConversation } from "../../src/core/call-agent.ts";
import { countCapacityAttempts } from "../../src/strategy/capacity.ts";
import { historyAttemptOf } from "../../src/strategy/history.ts";

// "An agent was on the call" is one rule (platform/call-details.ts) for every reader: Regulation
// F's conversation in a plan's history and in the evidence, caller-ID health's answered call, the
// kept calls (test/consent/completed-calls-phones.test.ts). The copies had disagreed on CXone's
// agent 0, which a file writes as text: a history file and caller-ID health took "0" for an agent.
const CASES: Array<[unknown, boolean]> = [
  [3001, true],
  ["3001", true],
  [" 42 ", true],
  [0, false],
  ["0", false],
  ["", false],
  [null, false],
  [undefined, false],
];

const record = (agentId: unknown) =>
  ({
    id: "c1",
    campaignId: "301",
    startTime: "2026-12-07T15:00:00.000Z",
    phoneNumber: "+13125550100",
    direction: "outbound",
    ...(agentId === undefined ? {} : { agentId }),
  }) as never;

describe("an agent on the call, one rule", () => {
  it.each(CASES)("agent %j: %s", (agentId, on) => {
    expect(agentOn(agentId)).toBe(on);
    expect(agentIdOf(agentId) !== undefined).toBe(on);
  });

  it.each(CASES)("agent %j: the history, the evidence and caller-ID health agree (%s)", (agentId, on) => {
    expect(historyAttemptOf(record(agentId))?.conversation).toBe(on);
    const item = attemptOfRecord(record(agentId)) as { attempt?: { conversation: boolean } };
    expect(item.attempt?.conversation).toBe(on);
    expect(answeredOf(record(agentId))).toBe(on);
  });

  it.each(CASES)(
    "agent %j: a campaign's call and a list's dial without a disposition agree (%s)",
    (agentId, on) => {
      const call = { ...(record(agentId) as object), id: "c2", dispositionCode: undefined, raw: {} } as never;
      const fromCall = attemptOfCall(call, "301") as { attempt?: { conversation: boolean } };
      expect(fromCall.attempt?.conversation).toBe(on);
      const dial = {
        recordId: "r1",
        phone: "+13125550100",
        at: "2026-12-07T15:00:00.000Z",
        requestedAt: undefined,
        outcome: "Answered",
        disposition: undefined,
        agentId: agentId === undefined || agentId === null ? undefined : String(agentId),
        contactId: "c3",
        deliveredAsCallback: undefined,
      };
      expect(dialWasConversation(dial)).toBe(on);
      const fromDial = attemptOfDial(dial, "L1", "301") as { attempt?: { conversation: boolean } };
      expect(fromDial.attempt?.conversation).toBe(on);
    },
  );

  it("a list's dial an agent dispositioned is a conversation, whatever its agent field", () => {
    expect(dialWasConversation({ disposition: "PTP", agentId: undefined })).toBe(true);
    expect(dialWasConversation({ disposition: "PTP", agentId: "0" })).toBe(true);
  });

  it("no reader of calls writes the rule again: an agent id compared by hand, anywhere it counts calls", () => {
    // A call's agent compared to none by hand (`!== undefined`, `=== ""`, `typeof … agentId`): the
    // copies that disagreed on CXone's 0. The rooms that count, learn from or report calls.
    const BY_HAND =
      /\bagentId\s*(?:!==|===|!=|==)\s*(?:undefined|null|""|0)\b|typeof\s+[\w.?]*agentId\b|\bagentId\s*&&/;
    for (const planted of [
      "conversation: a.disposition !== undefined || a.agentId !== undefined,",
      'if (typeof attempt.agentId !== "string" || attempt.agentId === "") continue;',
      'record.agentId === null || record.agentId === ""',
      ".filter((r) => r.agentId && r.phoneNumber)",
    ])
      expect(BY_HAND.test(planted), planted).toBe(true);
    expect(BY_HAND.test("conversation: dialWasConversation(a),")).toBe(false);
    const src = path.resolve(import.meta.dirname, "../../src");
    const offenders = ["compliance", "consent", "strategy", "callerid", "autopilot", "outcomes", "campaigns"]
      .flatMap((room) =>
        readdirSync(path.join(src, room), { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
          .map((entry) => path.join(entry.parentPath, entry.name)),
      )
      .flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .map((line, i) => ({ line, at: `${path.relative(src, file)}:${i + 1}` }))
          .filter(({ line }) => BY_HAND.test(line) && !/^\s*(\/\/|\*)/.test(line))
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });

  it("capacity: auto counts a connect and its agent's hour only for an agent on the call", async () => {
    const at = "2026-12-07T15:10:00.000Z";
    const counted = await countCapacityAttempts(
      CASES.map(([agentId]) => ({ startTime: at, agentId: agentId as string | null | undefined })) as never,
    );
    // 3001, "3001" (one agent, one hour) and " 42 ": two agents' hours; 0, "0", "", null, none: no connect.
    expect(counted).toEqual({ attempts: 8, connects: 3, agentHours: 2 });
  });
});
