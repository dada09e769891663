import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { consentDateProblem } from "../../src/compliance/rnd/consent-date.ts";
import { rndQuestionsOf } from "../../src/compliance/rnd/questions-file.ts";
import { calendarDayProblem } from "../../src/core/calendar-day.ts";
import { complianceSchema } from "../../src/core/config/client-schema.ts";
import { rulesSchema } from "../../src/core/config/schema.ts";
import { InputError } from "../../src/core/input-error.ts";
import * as sdk from "../../src/index.ts";

/**
 * ONE rule for a calendar day (src/core/calendar-day.ts): every input that takes a `YYYY-MM-DD`
 * is asked the same strings and must take the same ones and refuse the rest in the rule's words
 * (calendarDayProblem), each naming its own field. Where an input documents taking a date-time
 * too (an RND consent date: its UTC day; `outcomes.verifyTsr`'s from/to: its UTC day), a
 * date-time is taken there; everywhere else it is no day.
 *
 * Each entry answers the rule text its refusal gave for the field, or undefined when it took the
 * value. SDK entries are public calls on a client with no connection (nothing can be sent).
 */
const NOW_MS = Date.parse("2026-06-01T12:00:00Z");
const client = () =>
  sdk.createClient({
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-calendar-day-")),
    clock: { now: () => NOW_MS },
  });

/** The rule text an InputError gave for `field` (undefined: no problem with it, or no error). */
async function ruleFor(field: string, run: () => unknown): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.problems.find((p) => p.field === field)?.rule;
  }
}

/** A zod schema's message for the issue at `at` (path joined by dots), or undefined. */
function zodRuleFor(
  schema: {
    safeParse(v: unknown): {
      success: boolean;
      error?: { issues: { path: PropertyKey[]; message: string }[] };
    };
  },
  value: unknown,
  at: string,
) {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : parsed.error?.issues.find((i) => i.path.join(".") === at)?.message;
}

type Entry = (day: string) => Promise<string | undefined> | string | undefined;

const ENTRIES: Record<string, { ask: Entry; takesDateTime?: true }> = {
  "createClient rules.effectiveDates": {
    ask: (day) =>
      ruleFor("rules.effectiveDates.us-revoke-all-purposes", () =>
        sdk.createClient({
          dataDir: mkdtempSync(path.join(tmpdir(), "cxo-calendar-day-")),
          rules: { effectiveDates: { "us-revoke-all-purposes": day } },
        }),
      ),
  },
  "cxo.config.yaml rules.effectiveDates": {
    ask: (day) =>
      zodRuleFor(
        rulesSchema,
        { effectiveDates: { "us-revoke-all-purposes": day } },
        "effectiveDates.us-revoke-all-purposes",
      ),
  },
  "createClient compliance.registrations.<state>.until": {
    ask: (day) =>
      ruleFor("compliance.registrations.TX.until", () =>
        sdk.createClient({
          dataDir: mkdtempSync(path.join(tmpdir(), "cxo-calendar-day-")),
          compliance: { registrations: { TX: { number: "TX-1", until: day } } },
        }),
      ),
  },
  "cxo.config.yaml compliance.registrations.<state>.until": {
    ask: (day) =>
      zodRuleFor(
        complianceSchema,
        { registrations: { TX: { number: "TX-1", until: day } } },
        "registrations.TX.until",
      ),
  },
  "compliance.importRegistry asOf (cxo compliance dnc import --as-of)": {
    ask: (day) =>
      ruleFor("asOf", () =>
        client().compliance.importRegistry({
          registry: "national",
          files: ["/nonexistent/dnc.txt"],
          asOf: day,
        }),
      ),
  },
  "outcomes.verifyTsr from (cxo outcomes verify --tsr --from)": {
    takesDateTime: true,
    ask: (day) =>
      ruleFor("from", () =>
        client().outcomes.verifyTsr({ dataset: "/nonexistent/ds", from: day, to: "2026-05-01" }),
      ),
  },
  "outcomes.verifyTsr to": {
    takesDateTime: true,
    ask: (day) =>
      ruleFor("to", () =>
        client().outcomes.verifyTsr({ dataset: "/nonexistent/ds", from: "2020-01-01", to: day }),
      ),
  },
  "rnd.check numbers[].consentDate (an RND consent date)": {
    takesDateTime: true,
    ask: (day) =>
      ruleFor("numbers[0].consentDate", () =>
        rndQuestionsOf([{ phone: "+12145552216", consentDate: day }], NOW_MS),
      ),
  },
  "an RND consent date (consentDateProblem)": {
    takesDateTime: true,
    ask: (day) => consentDateProblem(day, NOW_MS),
  },
};

const TAKEN = ["2026-03-01", " 2026-03-01 ", "2024-02-29"];
const REFUSED = ["2026-02-30", "2026-3-1", "garbage", "2026-13-01", "2025-02-29", "20260301"];
const DATE_TIME = "2026-03-01T00:00Z";

describe("one rule for a calendar day (src/core/calendar-day.ts): every entry, the same strings", () => {
  for (const [name, { ask, takesDateTime }] of Object.entries(ENTRIES)) {
    it(name, async () => {
      for (const day of TAKEN) expect(await ask(day), JSON.stringify(day)).toBeUndefined();
      for (const day of REFUSED) expect(await ask(day), JSON.stringify(day)).toBe(calendarDayProblem(day));
      if (takesDateTime) expect(await ask(DATE_TIME), DATE_TIME).toBeUndefined();
      else expect(await ask(DATE_TIME), DATE_TIME).toBe(calendarDayProblem(DATE_TIME));
    });
  }

  it("the rule's own words: a real day, or not a calendar date", () => {
    expect(calendarDayProblem("2026-03-01")).toBeUndefined();
    expect(calendarDayProblem(" 2026-03-01 ")).toBeUndefined();
    expect(calendarDayProblem("2026-02-30")).toBe(
      '"2026-02-30" is not a real date (check the month and the day of the month)',
    );
    expect(calendarDayProblem("2026-3-1")).toBe(
      '"2026-3-1" is not a calendar date, YYYY-MM-DD (e.g. 2026-03-01)',
    );
    expect(calendarDayProblem(20260301)).toBe("must be a calendar date, YYYY-MM-DD (e.g. 2026-03-01)");
  });
});
