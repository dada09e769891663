/**
 * 10,000 numbers with consent dates for the RND tests (issue 79 §3): five area codes × 555-2000…
 * 555-3999 (never the fictitious 555-01xx), consent dates spread from 2020-06 (before the RND
 * has data: "no data") to 2026-09.
 */
export const AREA_CODES = ["202", "303", "415", "512", "617"] as const;

export function rndNumbers(count = 10_000): Array<{ phone: string; consentDate: string }> {
  const out: Array<{ phone: string; consentDate: string }> = [];
  for (let i = 0; i < count; i++) {
    const area = AREA_CODES[i % AREA_CODES.length] as string;
    const line = 2000 + Math.floor(i / AREA_CODES.length);
    const month = (i * 7) % 76; // 76 months from 2020-06
    const year = 2020 + Math.floor((5 + month) / 12);
    const mm = String(((5 + month) % 12) + 1).padStart(2, "0");
    out.push({
      phone: `+1${area}555${line}`,
      consentDate: `${year}-${mm}-${String((i % 27) + 1).padStart(2, "0")}`,
    });
  }
  return out;
}

/** What the database's truth says must be refused: disconnected on or after the consent date. */
export function mustRefuse(
  numbers: ReadonlyArray<{ phone: string; consentDate: string }>,
  truth: ReadonlyArray<{ tn: string; disconnectedOn: string | null }>,
): string[] {
  const byTn = new Map(truth.map((t) => [t.tn, t.disconnectedOn]));
  return numbers
    .filter((n) => {
      const on = byTn.get(n.phone.slice(2));
      return on !== undefined && on !== null && on >= n.consentDate;
    })
    .map((n) => n.phone)
    .sort();
}
