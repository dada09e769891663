/**
 * User-supplied strings in text meant for a terminal (a failed sign-in's name in `cxo audit
 * tail`, a campaign's name, a log line's values): their control characters are escaped, so a
 * name cannot clear the screen, move the cursor, overwrite a line with a carriage return or
 * forge a record with a line break (issue 63 N7). JSON output needs none of this: JSON escapes
 * control characters itself.
 *
 * Escaped: C0 controls and DEL (`\x1b`, with `\n`, `\r`, `\t` by their names), C1 controls
 * (`\x9b` is a one-byte escape sequence on some terminals), the line and paragraph separators
 * and the bidirectional overrides and isolates (which reorder what is shown).
 */
function isControl(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

const NAMED: Record<number, string> = { 10: "\\n", 13: "\\r", 9: "\\t" };

function escaped(code: number): string {
  return (
    NAMED[code] ??
    (code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`)
  );
}

function escapeControls(text: string, keepLayout: boolean): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isControl(code) || (keepLayout && (code === 0x0a || code === 0x09))) continue;
    out += text.slice(from, i) + escaped(code);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** One value as it may be shown on a line: every control character escaped, line breaks too. */
/** The text holds a character `printable` would escape (a control, a line separator, a bidirectional override). */
export function hasControls(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) return true;
  return false;
}

export function printable(value: string): string {
  return escapeControls(value, false);
}

/** A whole text output: its line breaks and tabs kept, every other control character escaped. */
export function printableText(text: string): string {
  return escapeControls(text, true);
}
