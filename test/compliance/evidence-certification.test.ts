import { describe, expect, it } from "vitest";
import {
  type CertifiedFile,
  certificationLines,
  signatureBlockLines,
} from "../../src/compliance/evidence/export/certification.ts";
import { textPdf } from "../../src/compliance/evidence/export/text-pdf.ts";

/**
 * Issue 102 §2, the certification page as a records custodian reads it: every line within 80
 * columns (the PDF's text fits A4 and US Letter with margins: nothing cut off), each page
 * numbered and naming the export's manifest, and the declaration kept on one page with the
 * signature, printed name, title, date and place, however many files the list runs to.
 */
const HASH = `sha256:${"ab".repeat(32)}`;
const fileOf = (i: number): CertifiedFile => ({
  name: `collections-october-2026-campaign-${i}-list-${1000 + i}-evidence-of-every-dial.ndjson`,
  bytes: 123_456_789,
  sha256: HASH,
  records: 1_000_000,
  notAllowed: 12,
  first: "2026-10-01T12:00:00.000Z",
  last: "2026-10-31T23:59:59.000Z",
  root: HASH,
  run: "evidence-01a11b62785e9a6f9b4eabb857cb468c",
});

const pagesOf = (pdf: Buffer): string[] =>
  [...pdf.toString("latin1").matchAll(/stream\n([\s\S]*?)\nendstream/g)].map((m) => m[1] as string);

describe("the certification page", () => {
  const lines = certificationLines({
    exportedAt: "2026-11-02T09:00:00.000Z",
    exportedBy: "cli:custodian@records-host as cron:monthly-evidence-export",
    tool: "cxo 0.1.0",
    manifestSha256: HASH,
    files: Array.from({ length: 7 }, (_, i) => fileOf(i + 1)),
  });

  it("keeps every line within 80 columns, the long names and hash values whole", () => {
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
    expect(lines).toContain(`     ${HASH}`);
    expect(lines.some((l) => l.includes(fileOf(7).name))).toBe(true);
  });

  it("numbers every page, names the manifest on each, and keeps the declaration with the signature", () => {
    const pages = pagesOf(
      textPdf(lines, "Certification of electronic records", {
        foot: `manifest.json ${HASH}`,
        keepLast: signatureBlockLines(lines),
      }),
    );
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => {
      expect(page).toContain(`(Certification of electronic records, page ${i + 1} of ${pages.length}) Tj`);
      expect(page).toContain(`(manifest.json ${HASH}) Tj`);
    });
    const signed = pages.filter((p) => p.includes("(Signature:"));
    expect(signed).toHaveLength(1);
    for (const part of ["(I declare under penalty of perjury", "(Printed name:", "(Title:", "\\(date\\) at"])
      expect(signed[0]).toContain(part);
    expect(signatureBlockLines(lines)).toBeGreaterThan(8);
  });
});
