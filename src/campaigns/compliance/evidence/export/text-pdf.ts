/**
 * A plain-text page as a PDF (PDF 1.4: Courier, 10 pt, A4/Letter-safe margins), for the
 * certification a records custodian signs (certification.ts). The project has no PDF library and
 * the page is lines of text: a page object, its content stream of `Tj` lines, the standard
 * Courier font (no font file embedded: every PDF reader has it), and the cross-reference table.
 * Text is Latin-1 (WinAnsi); a character outside it is written as `?`; long lines are wrapped.
 */
const LINES_PER_PAGE = 58;
const COLUMNS = 90;
const TOP = 770;
const LEFT = 50;
const LEADING = 12;

function wrapped(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (line.length <= COLUMNS) {
      out.push(line);
      continue;
    }
    const indent = /^\s*/.exec(line)?.[0] ?? "";
    let rest = line;
    while (rest.length > COLUMNS) {
      let cut = rest.lastIndexOf(" ", COLUMNS);
      if (cut <= indent.length) cut = COLUMNS;
      out.push(rest.slice(0, cut));
      rest = `${indent}  ${rest.slice(cut).trimStart()}`;
    }
    out.push(rest);
  }
  return out;
}

/** A PDF string literal's text: Latin-1, with `\`, `(` and `)` escaped. */
function pdfString(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    const c = code >= 0x20 && code <= 0xff && code !== 0x7f ? ch : "?";
    out += c === "\\" || c === "(" || c === ")" ? `\\${c}` : c;
  }
  return out;
}

export function textPdf(lines: readonly string[], title: string): Buffer {
  const all = wrapped(lines);
  const pages: string[][] = [];
  for (let i = 0; i < all.length || pages.length === 0; i += LINES_PER_PAGE)
    pages.push(all.slice(i, i + LINES_PER_PAGE));
  // Objects: 1 catalog, 2 pages, 3 font, 4 info, then per page its page object and content stream.
  const objects: string[] = [];
  const kids = pages.map((_, i) => `${5 + 2 * i} 0 R`).join(" ");
  objects.push("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>");
  objects.push(`<< /Title (${pdfString(title)}) /Producer (cxone-outbound) >>`);
  pages.forEach((page, i) => {
    const body = [`BT /F1 10 Tf ${LEADING} TL ${LEFT} ${TOP} Td`];
    for (const line of page) body.push(`(${pdfString(line)}) Tj T*`);
    body.push("ET");
    const stream = body.join("\n");
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${6 + 2 * i} 0 R >>`,
    );
    objects.push(`<< /Length ${Buffer.byteLength(stream, "latin1")} >>\nstream\n${stream}\nendstream`);
  });
  let pdf = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(pdf, "latin1"));
    pdf += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, "latin1");
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, "0")} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, "latin1");
}
