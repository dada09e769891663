import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { type AttemptTime, type CampaignCaps, parseNanp } from "../../src/compliance/index.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * The compliance case table: one row per case, each with why it exists. `rules` is the set of
 * rule ids the verdict's reasons name ([] = allowed); `next` is nextAllowedAt exactly (ISO
 * with the primary zone's offset), null when no instant is allowed. 2026-03-10 is a Tuesday;
 * US DST starts Sunday 2026-03-08 and ends Sunday 2026-11-01.
 */
interface Case {
  phone: string;
  at: string;
  consent?: boolean | undefined | "missing";
  onDnc?: boolean;
  zone?: string;
  state?: string;
  attempts?: string[];
  attemptCampaign?: string;
  campaignCaps?: CampaignCaps;
  campaignId?: string;
  rules: string[];
  next?: string | null;
  zones?: string[];
  states?: string[];
  codes?: string[];
}

const NY = "America/New_York";
const CHI = "America/Chicago";

// prettier-ignore
const CASES: Array<[string, Case]> = [
  // ── every US zone at its 08:00 / 21:00 edges (Tuesday 2026-03-10, DST in force) ──
  [
    "Eastern 08:00 EDT exactly: start is inclusive",
    { phone: "+12125550200", at: "2026-03-10T12:00:00Z", rules: [], zones: [NY], states: ["NY"] },
  ],
  [
    "Eastern 07:59 EDT: too early; next 08:00 local",
    {
      phone: "+12125550200",
      at: "2026-03-10T11:59:00Z",
      rules: ["us-tcpa-hours"],
      next: "2026-03-10T08:00:00-04:00",
    },
  ],
  [
    "Eastern 21:00 EDT exactly: end is exclusive; next is tomorrow 08:00",
    {
      phone: "+12125550200",
      at: "2026-03-11T01:00:00Z",
      rules: ["us-tcpa-hours"],
      next: "2026-03-11T08:00:00-04:00",
    },
  ],
  ["Eastern 20:59 EDT: allowed", { phone: "+12125550200", at: "2026-03-11T00:59:00Z", rules: [] }],
  [
    "Central 08:00 CDT: allowed",
    { phone: "+13125550200", at: "2026-03-10T13:00:00Z", rules: [], zones: [CHI], states: ["IL"] },
  ],
  [
    "Central 07:59 CDT: next 08:00 CDT",
    {
      phone: "+13125550200",
      at: "2026-03-10T12:59:00Z",
      rules: ["us-tcpa-hours"],
      next: "2026-03-10T08:00:00-05:00",
    },
  ],
  [
    "Mountain 08:00 MDT: allowed",
    { phone: "+13035550200", at: "2026-03-10T14:00:00Z", rules: [], zones: ["America/Denver"] },
  ],
  [
    "Mountain 21:00 MDT: too late",
    {
      phone: "+13035550200",
      at: "2026-03-11T03:00:00Z",
      rules: ["us-tcpa-hours"],
      next: "2026-03-11T08:00:00-06:00",
    },
  ],
  [
    "Pacific 08:00 PDT: allowed",
    {
      phone: "+14155550200",
      at: "2026-03-10T15:00:00Z",
      rules: [],
      zones: ["America/Los_Angeles"],
      states: ["CA"],
    },
  ],
  [
    "Pacific 21:30 PDT: too late; next 08:00 PDT",
    {
      phone: "+14155550200",
      at: "2026-03-11T04:30:00Z",
      rules: ["us-tcpa-hours"],
      next: "2026-03-11T08:00:00-07:00",
    },
  ],
  [
    "Hawaii 08:00 HST: allowed",
    {
      phone: "+18085550200",
      at: "2026-03-10T18:00:00Z",
      rules: [],
      zones: ["Pacific/Honolulu"],
      states: ["HI"],
    },
  ],
  [
    "Hawaii 07:59 HST: next 08:00 HST (-10:00, no DST)",
    {
      phone: "+18085550200",
      at: "2026-03-10T17:59:00Z",
      rules: ["us-tcpa-hours"],
      next: "2026-03-10T08:00:00-10:00",
    },
  ],
  [
    "Arizona 08:00 MST in March (UTC-7, no DST): allowed",
    {
      phone: "+16025550200",
      at: "2026-03-10T15:00:00Z",
      rules: [],
      zones: ["America/Phoenix"],
      states: ["AZ"],
    },
  ],
  [
    "Arizona 07:59 MST in March: too early",
    {
      phone: "+16025550200",
      at: "2026-03-10T14:59:00Z",
      rules: ["us-tcpa-hours"],
      next: "2026-03-10T08:00:00-07:00",
    },
  ],
  [
    "Arizona 08:00 MST in January: same UTC instant as in March",
    { phone: "+16025550200", at: "2026-01-13T15:00:00Z", rules: [] },
  ],
  [
    "Alaska, Juneau exchange (data decides 907-209): 08:00 AKDT allowed",
    {
      phone: "+19072095555",
      at: "2026-03-10T16:00:00Z",
      rules: [],
      zones: ["America/Juneau"],
      states: ["AK"],
    },
  ],
  [
    "Alaska area code only: Adak (Hawaii-Aleutian) still 07:00 → not; next Adak 08:00",
    {
      phone: "+19075550200",
      at: "2026-03-10T16:00:00Z",
      rules: ["us-tcpa-hours"],
      // 907 serves all of Alaska: every Alaskan zone is a candidate (Adak, the latest, first).
      zones: [
        "America/Adak",
        "America/Anchorage",
        "America/Juneau",
        "America/Nome",
        "America/Sitka",
        "America/Yakutat",
        "America/Metlakatla",
      ],
      next: "2026-03-10T08:00:00-09:00",
    },
  ],
  [
    "Puerto Rico 08:00 AST: allowed, territory PR",
    {
      phone: "+17875550200",
      at: "2026-03-10T12:00:00Z",
      rules: [],
      zones: ["America/Puerto_Rico"],
      states: ["PR"],
    },
  ],
  [
    "Guam 08:00 ChST next day (UTC+10): allowed",
    { phone: "+16715550200", at: "2026-03-10T22:00:00Z", rules: [], zones: ["Pacific/Guam"], states: ["GU"] },
  ],
  [
    "American Samoa 08:00 SST (UTC-11): allowed",
    {
      phone: "+16845550200",
      at: "2026-03-10T19:00:00Z",
      rules: [],
      zones: ["Pacific/Pago_Pago"],
      states: ["AS"],
    },
  ],
  [
    "US Virgin Islands 08:00 AST: allowed",
    { phone: "+13405550200", at: "2026-03-10T12:00:00Z", rules: [], states: ["VI"] },
  ],
  [
    "Northern Mariana Islands 07:59 ChST: too early",
    {
      phone: "+16705550200",
      at: "2026-03-10T21:59:00Z",
      rules: ["us-tcpa-hours"],
      next: "2026-03-11T08:00:00+10:00",
    },
  ],
  // ── DST starts Sunday 2026-03-08 ──
  [
    "DST start day: 12:00Z is 08:00 EDT (was 07:00 EST the day before): allowed",
    { phone: "+12125550200", at: "2026-03-08T12:00:00Z", rules: [] },
  ],
  [
    "DST start day: 11:59Z is 07:59 EDT",
    {
      phone: "+12125550200",
      at: "2026-03-08T11:59:00Z",
      rules: ["us-tcpa-hours"],
      next: "2026-03-08T08:00:00-04:00",
    },
  ],
  [
    "Saturday 21:00 EST before the change: next is Sunday 08:00 EDT (one hour less)",
    {
      phone: "+12125550200",
      at: "2026-03-08T02:00:00Z",
      rules: ["us-tcpa-hours"],
      next: "2026-03-08T08:00:00-04:00",
    },
  ],
  [
    "DST start day, Pacific 08:00 PDT: allowed",
    { phone: "+14155550200", at: "2026-03-08T15:00:00Z", rules: [] },
  ],
  [
    "DST start day, Arizona 07:30 MST (no DST): not yet",
    {
      phone: "+16025550200",
      at: "2026-03-08T14:30:00Z",
      rules: ["us-tcpa-hours"],
      next: "2026-03-08T08:00:00-07:00",
    },
  ],
  [
    "DST start day, Hawaii 08:00 HST: allowed",
    { phone: "+18085550200", at: "2026-03-08T18:00:00Z", rules: [] },
  ],
  // ── DST ends Sunday 2026-11-01 ──
  [
    "DST end day: 13:00Z is 08:00 EST: allowed",
    { phone: "+12125550200", at: "2026-11-01T13:00:00Z", rules: [] },
  ],
  [
    "DST end day: 12:59Z is 07:59 EST (08:59 under a stale EDT offset)",
    {
      phone: "+12125550200",
      at: "2026-11-01T12:59:00Z",
      rules: ["us-tcpa-hours"],
      next: "2026-11-01T08:00:00-05:00",
    },
  ],
  [
    "DST end day, Central 07:30 CST: next 08:00 CST",
    {
      phone: "+13125550200",
      at: "2026-11-01T13:30:00Z",
      rules: ["us-tcpa-hours"],
      next: "2026-11-01T08:00:00-06:00",
    },
  ],
  [
    "DST end day evening: 21:00 EST exactly is too late",
    {
      phone: "+12125550200",
      at: "2026-11-02T02:00:00Z",
      rules: ["us-tcpa-hours"],
      next: "2026-11-02T08:00:00-05:00",
    },
  ],
  [
    "DST end day evening: 20:59 EST allowed",
    { phone: "+12125550200", at: "2026-11-02T01:59:00Z", rules: [] },
  ],
  [
    "DST end day, Pacific 08:00 PST: allowed",
    { phone: "+14155550200", at: "2026-11-01T16:00:00Z", rules: [] },
  ],
  // ── split area codes and overlays ──
  [
    "850 by area code: Eastern (data) + Central (override); 07:30 CDT blocks (federal and Florida); next 09:00 EDT",
    {
      phone: "+18505550200",
      at: "2026-03-10T12:30:00Z",
      rules: ["fl-hours", "us-tcpa-hours"],
      zones: [NY, CHI],
      next: "2026-03-10T09:00:00-04:00",
    },
  ],
  [
    "850-432 Pensacola decided by exchange override: Central only",
    {
      phone: "+18504325555",
      at: "2026-03-10T12:30:00Z",
      rules: ["fl-hours", "us-tcpa-hours"],
      zones: [CHI],
      next: "2026-03-10T08:00:00-05:00",
    },
  ],
  [
    "850-222 Tallahassee decided by exchange override: Eastern only, allowed",
    { phone: "+18502225555", at: "2026-03-10T12:30:00Z", rules: [], zones: [NY] },
  ],
  [
    "219-226 decided by exchange in the data: Central only (no area-code override)",
    { phone: "+12192265555", at: "2026-03-10T13:30:00Z", rules: [], zones: [CHI] },
  ],
  [
    "219 other exchange: Eastern (data) + Central (override)",
    { phone: "+12195550200", at: "2026-03-10T12:30:00Z", rules: ["us-tcpa-hours"], zones: [NY, CHI] },
  ],
  [
    "928 by area code: Phoenix 20:30 fine but Navajo (Denver) 21:30 blocks",
    {
      phone: "+19285550200",
      at: "2026-03-11T03:30:00Z",
      rules: ["us-tcpa-hours"],
      zones: ["America/Phoenix", "America/Denver"],
      codes: ["outside_calling_hours"],
    },
  ],
  [
    "448 overlay of 850 (data says Eastern only): Central added by area code",
    {
      phone: "+14485550200",
      at: "2026-03-10T12:30:00Z",
      rules: ["fl-hours", "us-tcpa-hours"],
      zones: [NY, CHI],
      states: ["FL"],
    },
  ],
  // ── Florida ──
  [
    "Florida 20:30 EDT: federal fine, Florida 08-20 blocks",
    {
      phone: "+13055550200",
      at: "2026-03-11T00:30:00Z",
      rules: ["fl-hours"],
      next: "2026-03-11T08:00:00-04:00",
      states: ["FL"],
    },
  ],
  ["Florida 19:59 EDT: allowed", { phone: "+13055550200", at: "2026-03-10T23:59:00Z", rules: [] }],
  [
    "Florida 3 calls in 24 h: capped; next when the oldest leaves the window",
    {
      phone: "+13055550200",
      at: "2026-03-10T18:00:00Z",
      attempts: ["2026-03-10T13:00:00Z", "2026-03-10T15:00:00Z", "2026-03-10T17:00:00Z"],
      rules: ["fl-cap"],
      codes: ["frequency_cap"],
      next: "2026-03-11T09:00:00-04:00",
    },
  ],
  [
    "Florida 2 calls in 24 h: allowed",
    {
      phone: "+13055550200",
      at: "2026-03-10T18:00:00Z",
      attempts: ["2026-03-10T13:00:00Z", "2026-03-10T17:00:00Z"],
      rules: [],
    },
  ],
  [
    "Florida 3 calls but the oldest 24 h + 1 min ago: allowed",
    {
      phone: "+13055550200",
      at: "2026-03-10T18:00:00Z",
      attempts: ["2026-03-09T17:59:00Z", "2026-03-10T15:00:00Z", "2026-03-10T17:00:00Z"],
      rules: [],
    },
  ],
  [
    "Florida before its 2021 law (dated row not in effect): 20:30 EST allowed",
    { phone: "+13055550200", at: "2021-03-10T01:30:00Z", rules: [] },
  ],
  // ── Utah ──
  [
    "Utah Sunday: no calls at all; next Monday 08:00 MDT",
    {
      phone: "+18015550200",
      at: "2026-03-08T18:00:00Z",
      rules: ["ut-hours"],
      codes: ["no_calls_on_this_day"],
      next: "2026-03-09T08:00:00-06:00",
    },
  ],
  ["Utah Saturday 12:00: allowed", { phone: "+18015550200", at: "2026-03-14T18:00:00Z", rules: [] }],
  [
    "Utah Pioneer Day (Fri 24 Jul 2026): holiday; next Saturday 08:00",
    {
      phone: "+18015550200",
      at: "2026-07-24T18:00:00Z",
      rules: ["ut-holidays"],
      codes: ["holiday"],
      next: "2026-07-25T08:00:00-06:00",
    },
  ],
  [
    "Utah Thanksgiving (4th Thursday: 26 Nov 2026): next Friday 08:00 MST",
    {
      phone: "+18015550200",
      at: "2026-11-26T18:00:00Z",
      rules: ["ut-holidays"],
      next: "2026-11-27T08:00:00-07:00",
    },
  ],
  [
    "Utah Fri 3 Jul 2026 (4 July observed), Sat holiday, Sun banned: next Monday",
    {
      phone: "+18015550200",
      at: "2026-07-03T18:00:00Z",
      rules: ["ut-holidays"],
      next: "2026-07-06T08:00:00-06:00",
    },
  ],
  [
    "New York number, Utah address, Sunday: Utah's Sunday ban applies in every zone",
    {
      phone: "+12125550200",
      state: "UT",
      at: "2026-03-08T18:00:00Z",
      rules: ["ut-hours"],
      states: ["NY", "UT"],
      zones: [NY, "America/Denver"],
    },
  ],
  // ── Washington, Texas, Oklahoma, Maryland, Rhode Island, Connecticut, Kentucky ──
  [
    "Washington 20:30 PDT: RCW 19.158.040 blocks",
    { phone: "+12065550200", at: "2026-03-11T03:30:00Z", rules: ["wa-hours"], states: ["WA"] },
  ],
  ["Washington 19:59 PDT: allowed", { phone: "+12065550200", at: "2026-03-11T02:59:00Z", rules: [] }],
  [
    "Texas weekday 08:30 CDT: Texas starts at 09:00",
    {
      phone: "+12145550200",
      at: "2026-03-10T13:30:00Z",
      rules: ["tx-hours"],
      next: "2026-03-10T09:00:00-05:00",
    },
  ],
  [
    "Texas Sunday 11:00 CDT: Sunday starts at noon",
    {
      phone: "+12145550200",
      at: "2026-03-15T16:00:00Z",
      rules: ["tx-hours"],
      next: "2026-03-15T12:00:00-05:00",
    },
  ],
  ["Texas Sunday 12:00 CDT: allowed", { phone: "+12145550200", at: "2026-03-15T17:00:00Z", rules: [] }],
  [
    "Houston 713 (unnamed in the extract) is still Texas",
    { phone: "+17135550200", at: "2026-03-10T13:30:00Z", rules: ["tx-hours"], states: ["TX"] },
  ],
  [
    "Oklahoma 20:30 CDT: blocked by Oklahoma's 08-20",
    { phone: "+14055550200", at: "2026-03-11T01:30:00Z", rules: ["ok-hours"] },
  ],
  [
    "Maryland 3 calls in 24 h (since 2024): capped",
    {
      phone: "+14105550200",
      at: "2026-03-10T18:00:00Z",
      attempts: ["2026-03-10T13:00:00Z", "2026-03-10T14:00:00Z", "2026-03-10T15:00:00Z"],
      rules: ["md-cap"],
    },
  ],
  [
    "Maryland 3 calls in 24 h in 2023 (before the cap): allowed",
    {
      phone: "+14105550200",
      at: "2023-03-10T18:00:00Z",
      attempts: ["2023-03-10T13:00:00Z", "2023-03-10T14:00:00Z", "2023-03-10T15:00:00Z"],
      rules: [],
    },
  ],
  [
    "Rhode Island Saturday 09:30: Saturday starts at 10:00",
    {
      phone: "+14015550200",
      at: "2026-03-14T13:30:00Z",
      rules: ["ri-hours"],
      next: "2026-03-14T10:00:00-04:00",
    },
  ],
  ["Rhode Island Saturday 10:30: allowed", { phone: "+14015550200", at: "2026-03-14T14:30:00Z", rules: [] }],
  [
    "Rhode Island on Thanksgiving: holiday",
    { phone: "+14015550200", at: "2026-11-26T16:00:00Z", rules: ["ri-holidays"], codes: ["holiday"] },
  ],
  [
    "Connecticut 08:30: starts at 09:00",
    { phone: "+18605550200", at: "2026-03-10T12:30:00Z", rules: ["ct-hours"] },
  ],
  [
    "Kentucky 09:30 EDT: starts at 10:00",
    {
      phone: "+15025550200",
      at: "2026-03-10T13:30:00Z",
      rules: ["ky-hours"],
      next: "2026-03-10T10:00:00-04:00",
    },
  ],
  // ── Canada ──
  [
    "Toronto weekday 21:15: CRTC allows until 21:30 (no US rule applies)",
    { phone: "+14165550200", at: "2026-03-11T01:15:00Z", rules: [], states: ["ON"] },
  ],
  [
    "Toronto Saturday 18:30: CRTC weekend ends 18:00",
    {
      phone: "+14165550200",
      at: "2026-03-14T22:30:00Z",
      rules: ["ca-crtc-hours"],
      next: "2026-03-15T10:00:00-04:00",
    },
  ],
  // ── consent, DNC, caps, unknown places ──
  [
    "consent flag missing: not allowed, never (nextAllowedAt null)",
    {
      phone: "+12125550200",
      at: "2026-03-10T15:00:00Z",
      consent: "missing",
      rules: ["us-consent"],
      codes: ["no_consent"],
      next: null,
    },
  ],
  [
    "consent false: not allowed, never",
    { phone: "+12125550200", at: "2026-03-10T15:00:00Z", consent: false, rules: ["us-consent"], next: null },
  ],
  [
    "Florida number, consent missing: federal and Florida consent rows both named",
    {
      phone: "+13055550200",
      at: "2026-03-10T15:00:00Z",
      consent: "missing",
      rules: ["fl-consent", "us-consent"],
      next: null,
    },
  ],
  [
    "internal DNC: not allowed, never",
    {
      phone: "+12125550200",
      at: "2026-03-10T15:00:00Z",
      onDnc: true,
      rules: ["us-internal-dnc"],
      codes: ["internal_dnc"],
      next: null,
    },
  ],
  [
    "DNC at night: every reason is listed, and still never",
    {
      phone: "+12125550200",
      at: "2026-03-11T03:00:00Z",
      onDnc: true,
      rules: ["us-internal-dnc", "us-tcpa-hours"],
      next: null,
    },
  ],
  [
    "campaign cap 1/day, called 2 h ago: next 24 h after that call",
    {
      phone: "+12125550200",
      at: "2026-03-10T16:00:00Z",
      attempts: ["2026-03-10T14:00:00Z"],
      campaignCaps: { perDay: 1 },
      rules: ["campaign-per-day"],
      codes: ["campaign_cap"],
      next: "2026-03-11T10:00:00-04:00",
    },
  ],
  [
    "campaign cap 3/week, 3 calls in 6 days: capped",
    {
      phone: "+12125550200",
      at: "2026-03-10T16:00:00Z",
      attempts: ["2026-03-04T16:00:00Z", "2026-03-06T16:00:00Z", "2026-03-08T16:00:00Z"],
      campaignCaps: { perWeek: 3 },
      rules: ["campaign-per-week"],
      next: "2026-03-11T12:00:00-04:00",
    },
  ],
  [
    "campaign cap counts only its own campaign's attempts",
    {
      phone: "+12125550200",
      at: "2026-03-10T16:00:00Z",
      attempts: ["2026-03-10T14:00:00Z"],
      attemptCampaign: "other",
      campaignId: "mine",
      campaignCaps: { perDay: 1 },
      rules: [],
    },
  ],
  [
    "unassigned area code (999): not dialable, whatever is declared → never",
    {
      phone: "+19995550200",
      at: "2026-03-10T16:00:00Z",
      zone: CHI,
      state: "IL",
      rules: ["nanp-unassigned-area-code"],
      codes: ["not_dialable"],
      zones: [CHI],
      next: null,
    },
  ],
  [
    "non-geographic area code (toll-free 800) with declared zone and state: judged there",
    {
      phone: "+18005550200",
      at: "2026-03-10T16:00:00Z",
      zone: CHI,
      state: "IL",
      rules: [],
      zones: [CHI],
      states: ["IL"],
    },
  ],
  [
    "Jamaica (NANP, not US/Canada): no rules modelled → never",
    { phone: "+18765550200", at: "2026-03-10T16:00:00Z", rules: ["destination"], next: null },
  ],
  [
    "declared zone adds a candidate: New York number, Los Angeles resident at 08:30 ET",
    {
      phone: "+12125550200",
      zone: "America/Los_Angeles",
      at: "2026-03-10T12:30:00Z",
      rules: ["us-tcpa-hours"],
      zones: [NY, "America/Los_Angeles"],
      next: "2026-03-10T11:00:00-04:00",
    },
  ],
  [
    "address state adds its zones and rules: New York number, Florida address at 20:30 ET",
    {
      phone: "+12125550200",
      state: "FL",
      at: "2026-03-11T00:30:00Z",
      rules: ["fl-hours"],
      zones: [NY, CHI],
      states: ["NY", "FL"],
    },
  ],
];

const ms = (iso: string) => Date.parse(iso);

describe("compliance case table", () => {
  it("has at least 60 cases", () => expect(CASES.length).toBeGreaterThanOrEqual(60));

  it.each(CASES)("%s", (_name, c) => {
    const number = parseNanp(c.phone);
    if (!number) throw new Error(`bad phone in table: ${c.phone}`);
    const attempts: AttemptTime[] = (c.attempts ?? []).map((at) => ({
      atMs: ms(at),
      campaignId: c.attemptCampaign ?? c.campaignId,
    }));
    const verdict = engine.evaluate({
      number,
      atMs: ms(c.at),
      consent: c.consent === "missing" ? undefined : (c.consent ?? true),
      onDnc: c.onDnc ?? false,
      declaredZone: c.zone,
      addressState: c.state,
      attempts,
      campaignCaps: c.campaignCaps,
      campaignId: c.campaignId,
    });
    expect([...new Set(verdict.reasons.map((r) => r.ruleId))].sort()).toEqual([...c.rules].sort());
    expect(verdict.allowed).toBe(c.rules.length === 0);
    if (c.next !== undefined) expect(verdict.nextAllowedAt).toBe(c.next);
    if (c.rules.length === 0) expect(verdict.nextAllowedAt).toBe(verdict.at);
    if (c.zones) expect(verdict.zones).toEqual(c.zones);
    if (c.states) expect(verdict.states).toEqual(c.states);
    if (c.codes) expect([...new Set(verdict.reasons.map((r) => r.code))].sort()).toEqual([...c.codes].sort());
    for (const reason of verdict.reasons) {
      expect(reason.message.length).toBeGreaterThan(10);
      expect(reason.citation.length).toBeGreaterThan(5);
    }
  });
});
