/**
 * The words of the emulated tenant: outbound disposition codes (the outcome vocabulary seed 004
 * maps to categories) with their reason codes, and the interaction disposition list of seed 001
 * (1xx primary, 2xx secondary). Reason code ids are unique across codes so a client that checks
 * "reason belongs to ANY code" instead of "to the chosen code" is caught.
 */
export interface ReasonCode {
  id: string;
  name: string;
}

export interface DispositionCode {
  id: string;
  name: string;
  reasonCodes: ReasonCode[];
}

interface CodeDefinition extends DispositionCode {
  /** Relative frequency among generated calls. */
  weight: number;
  /** Talk time range in seconds for calls ending with this code. */
  durationRange: [number, number];
}

const reasons = (prefix: string, names: string[]): ReasonCode[] =>
  names.map((name) => ({ id: `${prefix}_${name.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}`, name }));

/** The outcome vocabulary shared by every campaign. */
export const COMMON_CODES: readonly CodeDefinition[] = [
  {
    id: "CONVERTED",
    name: "Converted",
    reasonCodes: reasons("CNV", ["New customer", "Upgrade", "Renewal"]),
    weight: 8,
    durationRange: [180, 900],
  },
  {
    id: "APPOINTMENT_SET",
    name: "Appointment set",
    reasonCodes: reasons("APT", ["In person", "Phone follow-up", "Video call"]),
    weight: 5,
    durationRange: [120, 600],
  },
  {
    id: "INTERESTED",
    name: "Interested",
    reasonCodes: reasons("INT", ["Send information", "Needs approval"]),
    weight: 8,
    durationRange: [90, 480],
  },
  {
    id: "CALLBACK_REQUESTED",
    name: "Callback requested",
    reasonCodes: reasons("CBR", ["Busy now", "Wrong time", "Decision maker absent"]),
    weight: 7,
    durationRange: [30, 180],
  },
  {
    id: "NOT_INTERESTED",
    name: "Not interested",
    reasonCodes: reasons("NIN", ["Price too high", "Has a provider", "No need", "Do not call again"]),
    weight: 20,
    durationRange: [20, 240],
  },
  { id: "BUSY", name: "Busy", reasonCodes: [], weight: 9, durationRange: [0, 8] },
  {
    id: "NO_ANSWER",
    name: "No answer",
    reasonCodes: reasons("NOA", ["Ring timeout", "Voicemail"]),
    weight: 28,
    durationRange: [15, 45],
  },
  {
    id: "DISCONNECTED",
    name: "Disconnected",
    reasonCodes: reasons("DSC", ["Number not in service", "Line dropped"]),
    weight: 5,
    durationRange: [0, 20],
  },
  {
    id: "WRONG_NUMBER",
    name: "Wrong number",
    reasonCodes: reasons("WRN", ["Unknown person", "Business line"]),
    weight: 4,
    durationRange: [5, 60],
  },
];

/** Codes only some campaigns have, so matrices differ between campaigns. */
export const CAMPAIGN_SPECIFIC_CODES: Readonly<Record<string, CodeDefinition>> = {
  SITE_SURVEY_BOOKED: {
    id: "SITE_SURVEY_BOOKED",
    name: "Site survey booked",
    reasonCodes: reasons("SSB", ["Roof survey", "Full survey"]),
    weight: 3,
    durationRange: [240, 900],
  },
  QUOTE_SENT: {
    id: "QUOTE_SENT",
    name: "Quote sent",
    reasonCodes: reasons("QTS", ["By email", "By post"]),
    weight: 4,
    durationRange: [180, 720],
  },
  ALREADY_ENROLLED: {
    id: "ALREADY_ENROLLED",
    name: "Already enrolled",
    reasonCodes: [],
    weight: 3,
    durationRange: [30, 120],
  },
  RETAINED: {
    id: "RETAINED",
    name: "Customer retained",
    reasonCodes: reasons("RTN", ["Fee waived", "Rate lowered", "Loyalty offer"]),
    weight: 6,
    durationRange: [240, 1200],
  },
  LANGUAGE_BARRIER: {
    id: "LANGUAGE_BARRIER",
    name: "Language barrier",
    reasonCodes: reasons("LNG", ["Spanish", "Other language"]),
    weight: 2,
    durationRange: [15, 90],
  },
};

export type CodeWithStats = CodeDefinition;

/** The seed 001 interaction dispositions: 1xx primary, 2xx secondary. */
export const INTERACTION_DISPOSITIONS: readonly { code: string; description: string }[] = [
  { code: "101", description: "Issue Resolved" },
  { code: "102", description: "Sale Completed" },
  { code: "103", description: "Appointment Booked" },
  { code: "104", description: "Information Provided" },
  { code: "105", description: "Not Interested" },
  { code: "106", description: "Do Not Call Requested" },
  { code: "107", description: "Payment Arranged" },
  { code: "108", description: "Complaint Resolved" },
  { code: "109", description: "Account Updated" },
  { code: "110", description: "Order Cancelled" },
  { code: "111", description: "Wrong Party Contact" },
  { code: "112", description: "Deceased" },
  { code: "201", description: "Follow-up Required" },
  { code: "202", description: "Escalated to Supervisor" },
  { code: "203", description: "Callback Scheduled" },
  { code: "204", description: "Transferred" },
  { code: "205", description: "Voicemail Left" },
  { code: "206", description: "Email Sent" },
  { code: "207", description: "Quote Requested" },
  { code: "208", description: "Language Line Used" },
];
