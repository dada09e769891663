import { describe, expect, it } from "vitest";
import { afterConversationDials, dayFigures } from "../../bench/week/judge.ts";
import type { WeekAccount } from "../../bench/week/population.ts";
import type { Scenario } from "../../bench/week/scenario.ts";

/**
 * The week bench's share of a weekday's lawfully dialable records dialled: a number left undialled
 * of a debt reached that day is not dialable after the conversation (Regulation F), so it does not
 * count against the day — a debt of two numbers reached on its first counted one "not dialled".
 */
const scenario = {
  weekStart: "2026-12-07T00:00:00-05:00",
  zone: "America/New_York",
  days: 1,
  kind: "collections",
} as Scenario;
const number = (phone: string) => ({ phone, zone: "America/New_York", state: "NY", tenant: "main" });
const accounts = [
  { accountId: "A", segment: "s", numbers: [number("+12125550001"), number("+12125550002")], history: [] },
  { accountId: "B", segment: "s", numbers: [number("+12125550003")], history: [] },
] as unknown as WeekAccount[];

describe("the week bench's dialable records", () => {
  it("a debt reached on its first number counts that number only; another debt's undialled number counts", () => {
    const dials = [{ id: "d1", phone: "+12125550001", at: "2026-12-07T15:00:00.000Z", conversation: true }];
    const [monday] = dayFigures(scenario, accounts, dials, []);
    expect(monday).toMatchObject({ dialable: 2, dialledOfDialable: 1, share: 0.5 });
  });
  it("a number a DNC group scrubbing the skill held is not dialable", () => {
    const [monday] = dayFigures(scenario, accounts, [], [], new Set(["2125550003"]));
    expect(monday).toMatchObject({ dialable: 2, dialledOfDialable: 0 });
  });
  it("a collections debt with one call left in its 7 in 7 counts one number; a number revoked before it was dialled that day is not counted", () => {
    const calls = Array.from({ length: 6 }, (_, i) => ({
      phone: "+12125550001",
      at: new Date(Date.parse("2026-12-01T15:00:00Z") + i * 86_400_000).toISOString(),
      conversation: false,
    }));
    const withHistory = [{ ...accounts[0], history: calls }, accounts[1]] as unknown as WeekAccount[];
    const [monday] = dayFigures(scenario, withHistory, [], [
      { at: "2026-12-07T16:00:00Z", scope: "number", phone: "+12125550003", channel: "sms-stop" },
    ] as never);
    expect(monday).toMatchObject({ dialable: 1, dialledOfDialable: 0 });
  });
  it("a debt not reached counts every number", () => {
    const dials = [{ id: "d1", phone: "+12125550001", at: "2026-12-07T15:00:00.000Z", conversation: false }];
    const [monday] = dayFigures(scenario, accounts, dials, []);
    expect(monday).toMatchObject({ dialable: 3, dialledOfDialable: 1 });
  });
});

describe("a sales week's calls after the household's conversation", () => {
  it("are the dials to any of its numbers after a conversation (week or history); the conversation and the calls before it are not", () => {
    const dials = [
      { id: "d1", phone: "+12125550001", at: "2026-12-07T15:00:00.000Z", conversation: false },
      { id: "d2", phone: "+12125550002", at: "2026-12-07T16:00:00.000Z", conversation: true },
      { id: "d3", phone: "+12125550001", at: "2026-12-08T15:00:00.000Z", conversation: true },
      { id: "d4", phone: "+12125550003", at: "2026-12-08T15:00:00.000Z", conversation: true },
    ];
    expect([...afterConversationDials(accounts, dials)]).toEqual(["d3"]);
    const talkedBefore = [
      accounts[0],
      {
        ...accounts[1],
        history: [{ phone: "+12125550003", at: "2026-12-01T15:00:00Z", conversation: true }],
      },
    ] as unknown as WeekAccount[];
    expect([...afterConversationDials(talkedBefore, dials)].sort()).toEqual(["d3", "d4"]);
  });
});

describe("a household number on three debts (issue 100)", () => {
  const household = number("+12125550009");
  const three = [
    { accountId: "D1", segment: "s", numbers: [household, number("+12125550008")], history: [] },
    { accountId: "D2", segment: "s", numbers: [household], history: [] },
    { accountId: "D3", segment: "s", numbers: [household], history: [] },
  ] as unknown as WeekAccount[];

  it("each call to it counts for each debt: a conversation on it reaches all three, and D1's other number is not dialable after it", () => {
    const dials = [{ id: "d1", phone: "+12125550009", at: "2026-12-07T15:00:00.000Z", conversation: true }];
    const [monday] = dayFigures(scenario, three, dials, []);
    // The old judge gave the line to its last account alone: D1's mobile counted as dialable.
    expect(monday).toMatchObject({ dialable: 3, dialledOfDialable: 3 });
  });

  it("seven calls to it in the days before leave none of its debts a call", () => {
    const calls = Array.from({ length: 7 }, (_, i) => ({
      phone: "+12125550009",
      at: new Date(Date.parse("2026-12-01T15:00:00Z") + i * 18 * 3_600_000).toISOString(),
      conversation: false,
    }));
    const withHistory = [three[0], three[1], { ...three[2], history: calls }] as unknown as WeekAccount[];
    const [monday] = dayFigures(scenario, withHistory, [], []);
    expect(monday).toMatchObject({ dialable: 0 });
  });
});
