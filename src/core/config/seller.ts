/**
 * The seller a business unit calls for: its `consent.seller`, else the unit itself (each unit is
 * its own seller until the setting says otherwise). Units with one seller share revocations of
 * scope `all`, and the seller is what the TSR's records and the compliance checks name — so every
 * reader asks this one function.
 */
export function sellerOf(consent: { seller?: string | undefined } | undefined, unit: string): string;
export function sellerOf(
  consent: { seller?: string | undefined } | undefined,
  unit: string | undefined,
): string | undefined;
export function sellerOf(
  consent: { seller?: string | undefined } | undefined,
  unit: string | undefined,
): string | undefined {
  return consent?.seller ?? unit;
}
