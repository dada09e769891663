import { parseClientDateTime } from "../../datetime.ts";
import { invalid } from "../errors.ts";
import { text } from "../http.ts";

/** A date-time query parameter (ISO 8601; no offset = UTC), or null when absent; else 400. */
export function parseDate(query: Record<string, unknown>, name: string): number | null {
  const value = text(query, name);
  if (value === null) return null;
  const ms = parseClientDateTime(value);
  if (ms === null) throw invalid(name);
  return ms;
}
