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

/** A business unit as the seller rule sees it: its name (undefined: the only one) and consent settings. */
export interface SellerUnit {
  name: string | undefined;
  consent: { seller?: string | undefined } | undefined;
}

/**
 * The units among `units` that share `own`'s seller (`sellerOf`), `own` and unnamed units left
 * out, in their order: those a revocation of scope `all` recorded at `own` reaches besides it.
 * Every reader of "the seller's other units" (the CLI, `createTenants`, `cxo serve`, the consent
 * fan-out) asks this one function; `unit` says how to see each as a `SellerUnit`.
 */
export function sellerPeers<U>(own: U, units: readonly U[], unit: (u: U) => SellerUnit): U[] {
  const sellerOfUnit = (u: U) => {
    const { name, consent } = unit(u);
    return sellerOf(consent, name);
  };
  const seller = sellerOfUnit(own);
  return units.filter((u) => u !== own && unit(u).name !== undefined && sellerOfUnit(u) === seller);
}
