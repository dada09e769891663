// @ts-check
// What every figure on the board means, in one line each: the hover text of each figure and the
// glossary table of docs/service.md ("Glossary"), which a test keeps equal to this list and checks
// against the page (no figure without an entry). A figure's element carries `data-term`.

/** @type {Readonly<Record<string, string>>} */
export const GLOSSARY = {
  "success rate":
    "Share of the calls completed in the trailing window (service.metricsWindowMinutes) whose disposition counts as a success, as CXone reports it.",
  "active calls": "Calls of the campaign in progress now (ringing or connected), as CXone reports them.",
  "agents working / logged in":
    "Agents on a call or in wrap-up, of the agents logged in to the campaign's skill, from the latest live reading.",
  "abandonment, last hour":
    "Abandoned calls as a share of live answers in the dialer analytics' latest hourly bucket (CXone gives this rate without its call count).",
  "abandonment, latest webhook":
    "Abandoned calls as a share of live answers, as the latest CXone webhook reported it (no call count).",
  "abandonment, pacing window":
    "Abandoned calls as a share of live answers over the pacing spec's legal window (FTC 30-day, Ofcom 24-hour or today), counted by cxo.",
  "abandonment today":
    "Abandoned calls as a share of connects since midnight in the skill's zone, from CXone's live day summary.",
  "too few calls":
    "A rate resting on fewer than 30 calls (the watchdog's minimum sample): shown with its count, never raised as an alarm.",
  "ratio in force": "Lines dialled per available agent in CXone's dialer settings now, read back from CXone.",
  "maximum ratio": "The budget guard's ceiling on lines dialled per available agent.",
  cap: "The highest dial ratio the pacing spec lets the loop set (lines per agent).",
  "loop wishes": "The ratio the pacing loop would set next, shown as a wish until CXone has it in force.",
  target: "The abandonment share the pacing loop steers under, over its legal window.",
  "budget left":
    "Abandoned calls the window can still take before it reaches the target, of the live answers counted so far.",
  "legal figure":
    "The abandonment ledger's figure for the regime the campaign is paced under (FTC over 30 days, Ofcom over any 24 hours, people hung up on as machines counted by the operator's estimate), with its 95% interval, the regime's legal limit and the abandons the window can still take (cxo dialer abandonment shows every regime).",
  "skill abandon target": "The abandonment target set on the CXone skill itself (production platform).",
  "latest decision": "What the pacing loop decided at its latest tick, and why, in its own words.",
  "live figures":
    "Wrap-up, available agents, active and queued contacts and today's connects, from CXone's live skill activity.",
  "last reading": "When the campaign's figures were last read from CXone (poll) or received (webhook).",
  "revocations today":
    "Revocations of consent received since midnight in the board's time zone, by every channel (the consent ledger).",
  overdue:
    "Revocations not yet honoured where they must be (the CXone DNC group) and past their legal deadline.",
  "honoured in CXone":
    "Minutes from a revocation recorded by cxo to its number held in the consent CXone DNC group, over the last 7 days (median and longest), and how many still wait.",
  "messages in review":
    "Inbound messages whose words a person has to read before cxo takes them for a revocation (a negation, a question, a keyword inside other words, another language): waiting, and how many are past the deadline a revocation received then would have (cxo consent review).",
  "DNC copy":
    "How old the local copy of the tenant's CXone DNC groups is, against the age after which a check searches CXone live (consent.cxoneDncMaxAgeMinutes).",
};

/** The element's hover text: the term's definition, then what `extra` adds (counts, source). */
export function explain(/** @type {HTMLElement} */ node, /** @type {string} */ term, extra = "") {
  node.dataset.term = term;
  const definition = GLOSSARY[term] ?? "";
  node.title = extra ? `${definition}\n${extra}` : definition;
}
