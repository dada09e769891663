/**
 * Overlay complexes in regions that span several zones: area codes that serve the same
 * territory share its zones, so the engine gives every member the union of the members'
 * zones, and the per-area-code test requires the members' own data to agree (a disagreement
 * is a data error: 689 said Chicago while 407 and 321 say New York). Single-zone regions need
 * no entry: their region check already pins every member. Source: NANPA area code maps and
 * planning letters; CNA (Canadian Numbering Administrator) for Canada.
 */
export const OVERLAY_COMPLEXES: ReadonlyArray<readonly string[]> = [
  // Florida
  ["407", "321", "689"],
  ["850", "448"],
  ["305", "786", "645"],
  ["954", "754"],
  ["561", "728"],
  ["813", "656"],
  ["904", "324"],
  // Indiana, Kentucky, Tennessee
  ["812", "930"],
  ["317", "463"],
  ["270", "364"],
  ["615", "629"],
  // Nebraska, Oregon, Idaho, Nevada
  ["402", "531"],
  ["541", "458"],
  ["503", "971"],
  ["208", "986"],
  ["702", "725"],
  // Ontario
  ["416", "647", "437", "942"],
  ["905", "289", "365", "742"],
  ["519", "226", "548", "382"],
  ["613", "343", "753"],
  ["705", "249", "683"],
  // British Columbia (604 is the Lower Mainland only; the others serve the whole province)
  ["250", "236", "672", "778", "257"],
  // Quebec
  ["418", "581", "367"],
  ["819", "873", "468"],
  ["514", "438", "263"],
  ["450", "579", "354"],
  // Prairies, Atlantic
  ["306", "639", "474"],
  ["709", "879"],
  ["403", "587", "780", "825", "368"],
  ["204", "431", "584"],
  ["506", "428"],
  ["902", "782"],
];

const complexOf = new Map<string, readonly string[]>();
for (const complex of OVERLAY_COMPLEXES) for (const npa of complex) complexOf.set(npa, complex);

/** The other area codes that serve the same territory as `npa` (empty when none is listed). */
export function overlayPartners(npa: string): readonly string[] {
  return (complexOf.get(npa) ?? []).filter((other) => other !== npa);
}
