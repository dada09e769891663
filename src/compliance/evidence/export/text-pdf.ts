/**
 * A plain-text page as a PDF (PDF 1.4: Courier, 10 pt), for the certification a records custodian
 * signs (certification.ts). The project has no PDF library and the page is lines of text: a page
 * object, its content stream of `Tj` lines, the standard Courier font (no font file embedded: every
 * PDF reader has it), and the cross-reference table. Text is Latin-1 (WinAnsi); a character outside
 * it is written as `?`; lines longer than 80 columns are wrapped. The page is US Letter, its text
 * inside the part Letter and A4 share (595 by 792 points) with margins of at least 3/4 inch, so
 * nothing is cut off on either paper. Each page's foot names the document and its page ("…, page 2
 * of 3"), and the last `keepLast` lines (the declaration and the signature) are never split between
 * pages.
 */
const COLUMNS = 80;
const LEFT = 54;
const TOP = 738;
const LEADING = 11;
/** Lines of 11 points from TOP down to 67 points, above the foot (at 50 and 40 points). */
const LINES_PER_PAGE = 62;

export interface TextPdfOptions {
  /** A line at the foot of every page (at most 100 characters), above "<title>, page i of n". */
  foot?: string;
  /** The last lines that must be on one page (a signature block). */
  keepLast?: number;
}

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

/** The lines in pages, the last `keep` lines on one page (when they fit on one). */
function paged(all: readonly string[], keep: number): string[][] {
  const pages: string[][] = [];
  const breakAt = keep > 0 && keep <= LINES_PER_PAGE ? all.length - keep : -1;
  let page: string[] = [];
  all.forEach((line, i) => {
    const blockStarts = i === breakAt && page.length + keep > LINES_PER_PAGE;
    if (page.length === LINES_PER_PAGE || (blockStarts && page.length > 0)) {
      pages.push(page);
      page = [];
    }
    page.push(line);
  });
  pages.push(page);
  return pages;
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

export function textPdf(lines: readonly string[], title: string, options: TextPdfOptions = {}): Buffer {
  const all = wrapped(lines);
  const pages = paged(all, options.keepLast ?? 0);
  // Objects: 1 catalog, 2 pages, 3 font, 4 info, then per page its page object and content stream.
  const objects: string[] = [];
  const kids = pages.map((_, i) => `${5 + 2 * i} 0 R`).join(" ");
  objects.push("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>");
  // A page's foot: the document, then its page number (8 pt).
  const footOf = (i: number) =>
    [
      `BT /F1 8 Tf ${LEFT} 50 Td (${pdfString(options.foot ?? "")}) Tj ET`,
      `BT /F1 8 Tf ${LEFT} 40 Td (${pdfString(`${title}, page ${i + 1} of ${pages.length}`)}) Tj ET`,
    ].join("\n");
  objects.push(`<< /Title (${pdfString(title)}) /Producer (cxone-outbound) >>`);
  pages.forEach((page, i) => {
    const body = [`BT /F1 10 Tf ${LEADING} TL ${LEFT} ${TOP} Td`];
    for (const line of page) body.push(`(${pdfString(line)}) Tj T*`);
    body.push("ET", footOf(i));
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
