import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type CheckInput, checkDials, type Dial } from "../../bench/dial-checker/index.ts";

/**
 * The independent dial checker flags each kind of unlawful dial (so a week judged by it can fail)
 * and leaves lawful ones alone, at the rules' edges: federal and state hours in the called zone,
 * FL/OK/MD's 3 calls in 24 h per person and subject, Regulation F's 7 in 7 days per debt with the
 * history and the 7 days after a conversation on any number of the debt, revocations by scope,
 * and the skill's original schedule after the watch's grace. And it shares no code with src/.
 */
const NY = "+12125550101";
const MIAMI = "+13055550102";
const MIAMI_2 = "+17865550103";
const OKC = "+14055550104";
const BALTIMORE = "+14105550105";
const LA = "+12135550106";

/** Monday 2026-12-07 (Eastern standard time, UTC-5). */
const base = (): CheckInput => ({
  numbers: [
    { phone: NY, zone: "America/New_York", state: "NY" },
    { phone: MIAMI, zone: "America/New_York", state: "FL" },
    { phone: MIAMI_2, zone: "America/New_York", state: "FL" },
    { phone: OKC, zone: "America/Chicago", state: "OK" },
    { phone: BALTIMORE, zone: "America/New_York", state: "MD" },
    { phone: LA, zone: "America/Los_Angeles", state: "CA" },
  ],
  accounts: [
    { accountId: "A-NY", phones: [NY] },
    { accountId: "A-FL", phones: [MIAMI, MIAMI_2] },
    { accountId: "A-OK", phones: [OKC] },
    { accountId: "A-MD", phones: [BALTIMORE] },
    { accountId: "A-LA", phones: [LA] },
  ],
  history: [],
  dials: [],
  revocations: [],
});

let n = 0;
const dial = (phone: string, at: string, conversation = false): Dial => ({
  id: `d${++n}`,
  phone,
  at,
  conversation,
});
const rules = (input: CheckInput) => checkDials(input).map((v) => v.rule);

describe("calling hours in the called party's zone", () => {
  it("federal 08:00–21:00: 07:59 and 21:00:01 flagged, 08:00 and 21:00:00 not", () => {
    const input = base();
    input.dials = [
      dial(NY, "2026-12-07T07:59:00-05:00"),
      dial(NY, "2026-12-07T08:00:00-05:00"),
      dial(LA, "2026-12-08T21:00:00-08:00"),
      dial(LA, "2026-12-09T21:00:01-08:00"),
    ];
    const found = checkDials(input);
    expect(found.map((v) => [v.rule, v.dials])).toEqual([
      ["tcpa-hours", [input.dials[0]?.id]],
      ["tcpa-hours", [input.dials[3]?.id]],
    ]);
    expect(found[0]?.citation).toMatch(/47 CFR 64\.1200\(c\)\(1\)/);
  });

  it("the zone is the called party's: 20:30 in New York is 17:30 in Los Angeles", () => {
    const input = base();
    input.dials = [dial(LA, "2026-12-07T20:30:00-05:00"), dial(LA, "2026-12-08T08:30:00-05:00")];
    expect(checkDials(input).map((v) => v.dials[0])).toEqual([input.dials[1]?.id]);
  });

  it("FL, OK and MD end at 20:00 local", () => {
    const input = base();
    input.dials = [
      dial(MIAMI, "2026-12-07T20:15:00-05:00"),
      dial(OKC, "2026-12-07T20:15:00-06:00"),
      dial(BALTIMORE, "2026-12-07T20:00:30-05:00"),
      dial(NY, "2026-12-07T20:15:00-05:00"),
    ];
    expect(rules(input)).toEqual(["fl-hours", "ok-hours", "md-hours"]);
  });

  it("across the daylight-saving change (2026-03-08): 07:30 EDT is flagged although 06:30 EST would be its UTC", () => {
    const input = base();
    input.dials = [dial(NY, "2026-03-08T11:30:00Z"), dial(NY, "2026-03-09T12:30:00Z")];
    expect(checkDials(input).map((v) => v.dials[0])).toEqual([input.dials[0]?.id]);
  });
});

describe("FL/OK/MD: at most 3 calls in 24 hours per person and subject", () => {
  it("the 4th call in 24 h to an account's two Florida numbers is flagged, the history counted", () => {
    const input = base();
    input.history = [{ phone: MIAMI, at: "2026-12-07T09:00:00-05:00", conversation: false }];
    input.dials = [
      dial(MIAMI, "2026-12-07T12:00:00-05:00"),
      dial(MIAMI_2, "2026-12-07T15:00:00-05:00"),
      dial(MIAMI, "2026-12-08T08:30:00-05:00"),
      dial(MIAMI_2, "2026-12-08T09:30:00-05:00"),
    ];
    const found = checkDials(input).filter((v) => v.rule === "fl-3-in-24");
    // Tuesday 08:30 and 09:30 each end 24 hours holding 4 calls (Monday's 09:00 is in the first).
    expect(found.map((v) => v.dials.at(-1))).toEqual([input.dials[2]?.id, input.dials[3]?.id]);
    expect(found[0]?.dials).toHaveLength(4);
    expect(found[0]?.citation).toMatch(/501\.059/);
  });

  it("Oklahoma and Maryland alike; three calls are fine", () => {
    const input = base();
    const times = ["09:00", "11:00", "13:00", "15:00"].map((t) => `2026-12-07T${t}:00-05:00`);
    input.dials = [...times.slice(0, 3).map((t) => dial(OKC, t)), ...times.map((t) => dial(BALTIMORE, t))];
    expect(rules(input)).toEqual(["md-3-in-24"]);
    input.dials.push(dial(OKC, "2026-12-07T19:00:00-05:00"));
    expect(rules(input)).toEqual(["md-3-in-24", "ok-3-in-24"]);
  });
});

describe("Regulation F, per debt", () => {
  it("7 calls in 7 days with the history: the 8th is flagged, on any number of the debt", () => {
    const input = base();
    input.history = [1, 2, 3, 4, 5, 6].map((d) => ({
      phone: MIAMI,
      at: `2026-12-0${d}T10:00:00-05:00`,
      conversation: false,
    }));
    input.dials = [dial(MIAMI, "2026-12-07T10:00:00-05:00"), dial(MIAMI_2, "2026-12-07T14:00:00-05:00")];
    const found = checkDials(input).filter((v) => v.rule === "reg-f-7-in-7");
    expect(found.map((v) => v.dials.at(-1))).toEqual([input.dials[1]?.id]);
    expect(found[0]?.citation).toMatch(/1006\.14\(b\)\(2\)\(i\)\(A\)/);
    // On the 8th calendar day the first history call is out of the window.
    input.dials[1] = dial(MIAMI_2, "2026-12-08T10:00:00-05:00");
    expect(rules(input)).toEqual([]);
  });

  it("a history row naming its debt counts for that debt alone", () => {
    const input = base();
    input.accounts.push({ accountId: "A-FL-2", phones: [MIAMI] });
    input.history = [1, 2, 3, 4, 5, 6, 7].map((d) => ({
      phone: MIAMI,
      accountId: "A-FL-2",
      at: `2026-12-0${d}T09:00:00-05:00`,
      conversation: false,
    }));
    input.dials = [dial(MIAMI_2, "2026-12-07T14:00:00-05:00")];
    expect(rules(input)).toEqual([]);
    input.dials = [dial(MIAMI, "2026-12-07T14:00:00-05:00")];
    expect(rules(input)).toEqual(["reg-f-7-in-7"]);
  });

  it("a conversation on one number: the debt's other number is flagged through the 7th day, not on the 8th", () => {
    const input = base();
    const talk = dial(MIAMI, "2026-12-07T11:00:00-05:00", true);
    input.dials = [
      talk,
      dial(MIAMI_2, "2026-12-13T19:00:00-05:00"),
      dial(MIAMI_2, "2026-12-14T09:00:00-05:00"),
      dial(NY, "2026-12-08T10:00:00-05:00"),
    ];
    const found = checkDials(input);
    expect(found.map((v) => [v.rule, v.dials])).toEqual([
      ["reg-f-after-conversation", [talk.id, input.dials[1]?.id]],
    ]);
    expect(found[0]?.citation).toMatch(/\(i\)\(B\)/);
  });

  it("a conversation in the history counts", () => {
    const input = base();
    input.history = [{ phone: OKC, at: "2026-12-04T15:00:00-06:00", conversation: true }];
    input.dials = [dial(OKC, "2026-12-07T10:00:00-06:00")];
    expect(rules(input)).toEqual(["reg-f-after-conversation"]);
  });
});

describe("revocations, by scope", () => {
  it("a number's revocation stops that number from its instant; an account's every number", () => {
    const input = base();
    input.revocations = [
      { at: "2026-12-07T12:00:00-05:00", scope: "tenant", phone: NY, channel: "sms" },
      { at: "2026-12-07T12:00:00-05:00", scope: "account", accountId: "A-FL", channel: "agent" },
    ];
    input.dials = [
      dial(NY, "2026-12-07T11:59:59-05:00"),
      dial(NY, "2026-12-07T12:00:00-05:00"),
      dial(MIAMI_2, "2026-12-08T10:00:00-05:00"),
      dial(BALTIMORE, "2026-12-08T10:00:00-05:00"),
    ];
    const found = checkDials(input);
    expect(found.map((v) => [v.rule, v.dials[0]])).toEqual([
      ["call-after-revocation", input.dials[1]?.id],
      ["call-after-revocation", input.dials[2]?.id],
    ]);
  });
});

describe("the skill's original schedule, after the watch's grace", () => {
  const schedule = {
    zone: "America/New_York",
    weekly: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, { start: "09:00", end: "20:00" }])),
    defaultHours: { start: "09:00", end: "20:00" },
    changes: ["2026-12-09T10:00:00-05:00"],
    graceMinutes: 10,
  };

  it("a weekend dial, a dial after the business unit's 20:00 and one before the zone's 09:00 are flagged", () => {
    const input = { ...base(), schedule };
    input.dials = [
      dial(LA, "2026-12-12T12:00:00-08:00"), // Saturday
      dial(LA, "2026-12-07T17:30:00-08:00"), // 20:30 Eastern
      dial(LA, "2026-12-07T08:30:00-08:00"), // 11:30 Eastern, 08:30 in its zone
      dial(LA, "2026-12-08T12:00:00-08:00"),
    ];
    expect(checkDials(input).map((v) => [v.rule, v.dials[0]])).toEqual(
      input.dials.slice(0, 3).map((d) => ["outside-skill-schedule", d.id]),
    );
  });

  it("within 10 minutes after a supervisor's change: tolerated; 11 minutes after: flagged", () => {
    const input = { ...base(), schedule: { ...schedule, changes: ["2026-12-09T20:00:00-05:00"] } };
    input.dials = [dial(NY, "2026-12-09T20:09:00-05:00"), dial(NY, "2026-12-09T20:11:00-05:00")];
    expect(checkDials(input).map((v) => v.dials[0])).toEqual([input.dials[1]?.id]);
  });
});

describe("bad input", () => {
  it("a dial to a number the scenario does not place is an error, not a pass", () => {
    const input = base();
    input.dials = [dial("+19995550100", "2026-12-07T10:00:00-05:00")];
    expect(() => checkDials(input)).toThrow(/does not place/);
  });
});

describe("independence", () => {
  it("no file of bench/dial-checker imports from src/", () => {
    const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bench/dial-checker");
    for (const name of readdirSync(dir)) {
      const text = readFileSync(path.join(dir, name), "utf8");
      const imports = [...text.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1] as string);
      expect(
        imports.filter((i) => i.includes("src/") || i.startsWith("../")),
        name,
      ).toEqual([]);
    }
  });
});
