import fc from "fast-check";
import type { RegistryFinding } from "../../../../src/campaigns/compliance/registry/lookup.ts";
import type { Suppression } from "../../../../src/campaigns/compliance/suppression.ts";
import type { AttemptTime, ComplianceInput } from "../../../../src/campaigns/compliance/verdict.ts";
import { type NanpNumber, parseNanp } from "../../../../src/core/phone-number.ts";

/**
 * Random questions for the compliance engine, old and new (engine-equivalence.test.ts): every
 * field of ComplianceInput, drawn so that the rules meet each other — area codes of one and of
 * several zones, of Canada and of other NANP countries, numbers that cannot be dialled; instants
 * from a small set (a situation asked again: the verdict cache's hits) and from 2019-2027
 * (daylight-saving days, holidays); histories dense enough to break the caps; registry copies
 * fresh and stale, some shared between questions (the cache keys them by identity).
 *
 * The rule book is given as a mask over the table's rows (`ruleMask`), applied to the old and
 * the new table alike by the test.
 */
export interface DrawnInput {
  input: ComplianceInput;
  /** undefined: the default table; else keep row i when bit (i mod 31) of the mask is set. */
  ruleMask: number | undefined;
  /** A zone to ask callingMarginIn about, and the interval. */
  marginZone: string;
  marginSpanMs: number;
}

const AREA_CODES = [
  "212",
  "718",
  "305",
  "850",
  "904",
  "907",
  "808",
  "617",
  "508",
  "405",
  "918",
  "410",
  "301",
  "503",
  "541",
  "512",
  "915",
  "804",
  "757",
  "213",
  "415",
  "702",
  "801",
  "602",
  "208",
  "270",
  "606",
  "316",
  "605",
  "701",
  "312",
  "414",
  "404",
  "206",
  "406",
  "989",
  "416",
  "604",
  "514",
  "867",
  "709",
  "876",
  "787",
  "671",
  "684",
  "800",
  "888",
  "900",
  "555",
  "211",
  "100",
  "052",
  "999",
  "456",
];
const EXCHANGES = ["222", "555", "736", "911", "950", "976", "201", "477", "325", "868", "100", "042"];

const phone = fc
  .tuple(
    fc.constantFrom(...AREA_CODES),
    fc.oneof(
      fc.constantFrom(...EXCHANGES),
      fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, "0")),
    ),
    fc.oneof(
      fc.constantFrom("0100", "0199", "1234", "5555"),
      fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, "0")),
    ),
  )
  .map(([npa, nxx, line]) => parseNanp(`+1${npa}${nxx}${line}`) as NanpNumber);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Instants asked again and again (a scrub's one instant; the planner's hours). */
const FIXED = [
  "2026-03-10T18:00:00Z",
  "2026-03-10T12:30:00Z",
  "2026-03-08T06:30:00Z",
  "2026-03-08T07:30:00Z",
  "2026-11-01T05:30:00Z",
  "2026-11-01T06:30:00Z",
  "2026-07-04T16:00:00Z",
  "2026-12-25T15:00:00Z",
  "2025-11-27T17:00:00Z",
  "2026-05-31T20:00:00Z",
  "2026-01-03T13:59:59Z",
  "2026-01-04T14:00:00Z",
  "2025-04-11T16:00:00Z",
  "2024-02-08T14:00:00Z",
].map((t) => Date.parse(t));

const instant = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...FIXED) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(...FIXED)
      .chain((t) =>
        fc.integer({ min: -3 * DAY, max: 3 * DAY }).map((d) => t + Math.round(d / 60_000) * 60_000),
      ),
  },
  {
    weight: 2,
    arbitrary: fc.integer({
      min: Date.parse("2019-01-01T00:00:00Z"),
      max: Date.parse("2027-12-31T00:00:00Z"),
    }),
  },
);

const ZONES = [
  "",
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Phoenix",
  "America/Los_Angeles",
  "Pacific/Honolulu",
  "America/Anchorage",
  "America/Toronto",
  "America/Halifax",
  "America/St_Johns",
  "Europe/Paris",
  "Not/AZone",
  "UTC",
];
const STATES = [
  "NY",
  "FL",
  "OK",
  "MD",
  "MA",
  "TX",
  "CA",
  "VA",
  "OR",
  "WA",
  "LA",
  "GA",
  "AL",
  "PA",
  "UT",
  "AZ",
  "BC",
  "ON",
  "QC",
  "NS",
  "ZZ",
  "ny",
  "PR",
];
const ZIPS = [
  "10001",
  "11201",
  "10301",
  "10451",
  "11101",
  "33101",
  "02108",
  "97201",
  "ABCDE",
  "1000",
  "10001-1234",
];

const SUPPRESSIONS: Suppression[] = [
  {
    code: "consent_revoked",
    message: "revoked by SMS on 2026-01-02",
    ruleId: "us-consent-revocation",
    citation: "47 CFR 64.1200(a)(10)",
    confidence: "verified",
  },
  {
    code: "cxone_dnc",
    message: "in CXone DNC group 12",
    ruleId: "cxone-dnc-group-12",
    citation: "47 CFR 64.1200(d)",
    confidence: null,
  },
  {
    code: "rnd_reassigned",
    message: "reassigned since 2025-01-01",
    ruleId: "rnd",
    citation: "47 CFR 64.1200(m)",
    confidence: "verified",
  },
  {
    code: "rnd_no_data",
    message: "the RND has no data",
    ruleId: "rnd",
    citation: "47 CFR 64.1200(m)",
    confidence: "secondary",
  },
];

const finding = fc.record(
  {
    registry: fc.constantFrom("national", "NY", "FL", "TX", "CO"),
    asOf: fc.constantFrom("2026-03-01", "2026-01-15", "2025-12-01", "2024-06-30", "2019-02-01", "2027-06-01"),
    listed: fc.boolean(),
  },
  { noNullPrototype: true },
);
/** Findings arrays shared between questions: a scrub hands the engine the same few arrays. */
const SHARED_FINDINGS: RegistryFinding[][] = [
  [],
  [{ registry: "national", asOf: "2026-03-01", listed: true }],
  [{ registry: "national", asOf: "2026-03-01", listed: false }],
  [
    { registry: "national", asOf: "2026-03-01", listed: false },
    { registry: "FL", asOf: "2026-03-01", listed: true },
  ],
  [{ registry: "national", asOf: "2025-12-01", listed: false }],
];
const registries = fc.oneof(fc.constantFrom(...SHARED_FINDINGS), fc.array(finding, { maxLength: 3 }));

const voice = fc.record(
  {
    voice: fc.constantFrom("live", "prerecorded", "ai"),
    writtenConsent: fc.boolean(),
    aiDisclosed: fc.boolean(),
    liveIntroduction: fc.boolean(),
    disclosesAi: fc.boolean(),
    emergency: fc.boolean(),
  },
  { requiredKeys: ["voice"], noNullPrototype: true },
);

const registrations = fc.dictionary(
  fc.constantFrom("TX", "FL", "OK", "LA", "UT", "VA", "AL"),
  fc.record(
    {
      number: fc.constantFrom("R-1", "R-2"),
      until: fc.constantFrom("2025-12-31", "2026-06-30", "2030-01-01"),
    },
    { noNullPrototype: true },
  ),
  { maxKeys: 3, noNullPrototype: true },
);

/** The number's touches around the instant: mostly before it (a history), some after (a plan's). */
function attemptsAround(atMs: number, e164: string) {
  const attempt = fc.record(
    {
      atMs: fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 1, max: 10 * DAY }).map((d) => atMs - d) },
        { weight: 1, arbitrary: fc.integer({ min: 10 * DAY, max: 40 * DAY }).map((d) => atMs - d) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 * DAY }).map((d) => atMs + d) },
      ),
      spanMs: fc.integer({ min: 0, max: 4 * HOUR }),
      channel: fc.constantFrom("call", "sms", "email", "callback", "voicemail"),
      phone: fc.constantFrom(e164, "+12125550123"),
      accountId: fc.constantFrom("A1", "A2"),
      seller: fc.constantFrom("acme", "other"),
      campaignId: fc.constantFrom("c1", "c2"),
      purpose: fc.constant("revocation-confirmation" as const),
    },
    { requiredKeys: ["atMs"], noNullPrototype: true },
  );
  return fc
    .array(attempt, { maxLength: 9 })
    .map((list) =>
      list.map(
        ({ spanMs, ...a }): AttemptTime =>
          spanMs !== undefined && spanMs > 0 ? { ...a, untilMs: a.atMs + spanMs } : a,
      ),
    );
}

const ABSENT = Symbol("absent");
/** The field drawn `percent` of the time, else left out. */
const maybe = <T>(arbitrary: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | typeof ABSENT> =>
  fc.oneof({ weight: 100 - percent, arbitrary: fc.constant(ABSENT) }, { weight: percent, arbitrary });

const present = (fields: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ABSENT));

/** A scrub's question: the situation alone (what the verdict cache keeps). */
const situation = (atMs: number) =>
  fc.record({
    consent: fc.constantFrom(true, false, undefined),
    onDnc: maybe(fc.constant(true), 10),
    declaredZone: maybe(fc.constantFrom(...ZONES), 40),
    addressState: maybe(fc.constantFrom(...STATES), 40),
    registries: maybe(registries, 50),
    campaignCaps: maybe(
      fc.record(
        { perDay: fc.integer({ min: 0, max: 4 }), perWeek: fc.integer({ min: 0, max: 9 }) },
        { requiredKeys: [], noNullPrototype: true },
      ),
      10,
    ),
    campaignId: maybe(fc.constantFrom("c1", "c2"), 10),
    searchDays: maybe(fc.integer({ min: 0, max: 21 }), 15),
    atMs: fc.constant(atMs),
  });

/** Any question: a touch on any channel, with its history, dial window, voice and kind. */
const anyQuestion = (atMs: number, e164: string) =>
  fc.record({
    consent: fc.constantFrom(true, false, undefined),
    onDnc: fc.oneof(
      { weight: 5, arbitrary: fc.constant(false) },
      { weight: 1, arbitrary: fc.constant(true) },
    ),
    atMs: fc.constant(atMs),
    untilMs: maybe(
      fc.integer({ min: 0, max: 2 * DAY }).map((d) => atMs + (d < DAY ? Math.round(d / 1000) * 1000 : d)),
      30,
    ),
    declaredZone: maybe(fc.constantFrom(...ZONES), 30),
    addressState: maybe(fc.constantFrom(...STATES), 50),
    suppressions: maybe(fc.subarray(SUPPRESSIONS), 20),
    registries: maybe(registries, 40),
    attempts: maybe(attemptsAround(atMs, e164), 60),
    campaignCaps: maybe(
      fc.record(
        { perDay: fc.integer({ min: 0, max: 4 }), perWeek: fc.integer({ min: 0, max: 9 }) },
        { requiredKeys: [], noNullPrototype: true },
      ),
      25,
    ),
    campaignId: maybe(fc.constantFrom("c1", "c2"), 30),
    searchDays: maybe(fc.integer({ min: 0, max: 21 }), 40),
    channel: maybe(fc.constantFrom("call", "sms", "email", "callback", "voicemail"), 35),
    kind: maybe(fc.constantFrom("sales", "collections"), 35),
    accountId: maybe(fc.constantFrom("A1", "A2"), 30),
    seller: maybe(fc.constantFrom("acme", "other"), 30),
    zip: maybe(fc.constantFrom(...ZIPS), 25),
    registrations: maybe(registrations, 20),
    lastTransactionMs: maybe(
      fc.integer({ min: 0, max: 30 * 31 * DAY }).map((d) => atMs - d),
      20,
    ),
    numberType: maybe(fc.constantFrom("personal", "other"), 25),
    textStopsMs: maybe(
      fc.array(
        fc.integer({ min: -DAY, max: 20 * 365 * DAY }).map((d) => atMs - d),
        { maxLength: 2 },
      ),
      20,
    ),
    explainCaps: maybe(fc.boolean(), 40),
    voice: maybe(voice, 25),
    purpose: maybe(fc.constant("revocation-confirmation" as const), 10),
  });

/** A field of the input given as undefined (as a caller passing its own optional value does). */
const UNDEFINED_FIELDS = [
  "declaredZone",
  "addressState",
  "channel",
  "kind",
  "zip",
  "campaignCaps",
  "registries",
  "searchDays",
];

export const drawnInput: fc.Arbitrary<DrawnInput> = fc.tuple(phone, instant).chain(([number, atMs]) =>
  fc
    .tuple(
      fc.oneof(
        { weight: 1, arbitrary: situation(atMs) },
        { weight: 1, arbitrary: anyQuestion(atMs, number.e164) },
      ),
      // 64 rule books, each met again (the engines remember a book's rows by its identity).
      maybe(
        fc.integer({ min: 0, max: 63 }).map((k) => Math.imul(k + 1, 0x9e3779b1) >>> 1),
        8,
      ),
      maybe(fc.constantFrom(...UNDEFINED_FIELDS), 10),
      fc.constantFrom(
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
        "America/Anchorage",
      ),
      fc.integer({ min: 0, max: 6 * HOUR }),
    )
    .map(([fields, mask, undefinedField, marginZone, marginSpanMs]): DrawnInput => {
      const input = { number, ...present(fields) } as unknown as ComplianceInput;
      if (undefinedField !== ABSENT)
        (input as unknown as Record<string, unknown>)[undefinedField] = undefined;
      return { input, ruleMask: mask === ABSENT ? undefined : mask, marginZone, marginSpanMs };
    }),
);
