/**
 * CSV formula injection (OWASP): a spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`,
 * a tab or a carriage return as a formula, so a contact named `=HYPERLINK(…)` could run code on
 * the machine of whoever opens our export. Every CSV we write passes its text cells through
 * `neutraliseCell`, which prefixes such a value with a single quote (shown as text, never
 * evaluated). A value that is only a signed number (an E.164 phone number `+14155550100`, a
 * negative figure) is left alone: a spreadsheet reads it as a number, never as a formula.
 *
 * The prefix is reversible: a value that already starts with `'` is prefixed too, so
 * `restoreCell` gives back exactly what was written (`cxo outcomes verify` reads CSV exports
 * back to the same records and hash). NDJSON outputs are never altered.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function neutraliseCell(value: string): string {
  if (value.startsWith("'")) return `'${value}`;
  if (FORMULA_START.test(value) && !PLAIN_NUMBER.test(value)) return `'${value}`;
  return value;
}

/** The value `neutraliseCell` was given, from what it returned. */
export function restoreCell(value: string): string {
  return value.startsWith("'") ? value.slice(1) : value;
}

/** csv-stringify's `cast` option that neutralises every text cell. */
export const safeCsvCast = { string: neutraliseCell } as const;
