/**
 * A plain-text table for a terminal: each column as wide as its widest cell, two spaces between
 * columns, no trailing spaces. `rows[0]` is the header, when the table has one.
 */
export function tableLines(rows: readonly (readonly string[])[]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

/** `tableLines` as one text. */
export function textTable(rows: readonly (readonly string[])[]): string {
  return tableLines(rows).join("\n");
}
