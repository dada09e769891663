import { DateTime } from "luxon";
import type { RegistrationRow, RuleRow, TextStopRow } from "./rule-table.ts";
import {
  type CampaignKind,
  type Channel,
  channelsOfRow,
  type NumberType,
  type Registrations,
  type TouchPurpose,
} from "./touches.ts";

/**
 * Which rows of the rule table govern one call (issue 79): the row's channels must include the
 * call's channel, its kinds the campaign's kind, its number types the number's. A call whose kind
 * is not declared is governed by the rows of every kind — an FDCPA collector's exemption is a
 * property of the campaign kind, never a guess — except a row marked `declaredKindOnly`: Texas'
 * registration asks who is selling (a declared `sales` campaign: `--kind sales`, a campaign
 * spec's `kind`, `strategy plan --kind sales`), Regulation F counts per debt (a declared
 * `collections` call). Pure.
 */
export interface CallScope {
  channel?: Channel | undefined;
  kind?: CampaignKind | undefined;
  numberType?: NumberType | undefined;
  /** Issue 92 §3: a touch marked as the confirmation of a revocation by text. */
  purpose?: TouchPurpose | undefined;
}

export function governs(row: RuleRow, call: CallScope): boolean {
  // It speaks of a touch marked as a confirmation, whatever its channel (a call so marked is refused by it).
  if (row.kind === "revocation_confirmation") return call.purpose === "revocation-confirmation";
  if (!channelsOfRow(row).includes(call.channel ?? "call")) return false;
  if (row.kinds !== undefined) {
    if (call.kind === undefined) {
      if (row.declaredKindOnly === true) return false;
    } else if (!row.kinds.includes(call.kind)) return false;
  }
  if (row.kind === "frequency_cap" && row.numberTypes !== undefined)
    return row.numberTypes.includes(call.numberType ?? "personal");
  return true;
}

/** Why a seller may not solicit under a registration row on a local date, or undefined. */
export function registrationProblem(
  row: RegistrationRow,
  registrations: Registrations | undefined,
  localDate: string,
): string | undefined {
  const held = registrations?.[row.state];
  if (!held)
    return `a sales call or text to ${row.state} needs the seller's ${row.state} registration, and compliance.registrations has none for ${row.state}`;
  if (held.until < localDate)
    return `the seller's ${row.state} registration ${held.number} ran until ${held.until}, before this call (${localDate})`;
  return undefined;
}

/** The STOP reply (epoch ms) that still bars a text under a text-stop row at `atMs`, or undefined. */
export function textStopBarring(row: TextStopRow, stopsMs: readonly number[] | undefined, atMs: number) {
  for (const stop of stopsMs ?? []) {
    if (stop > atMs) continue;
    const untilMs = DateTime.fromMillis(stop, { zone: "UTC" }).plus({ years: row.years }).toMillis();
    if (atMs < untilMs) return { stopMs: stop, untilMs };
  }
  return undefined;
}
