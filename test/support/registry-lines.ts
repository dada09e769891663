/**
 * Synthetic Do Not Call registry files, generated (never stored): registry lines ("NNNNNNNNNN\n")
 * written with a 4-digit lookup table so making them costs less than importing them. Used by
 * the registry tests and `npm run bench -- dnc`.
 */
const FOUR = Buffer.alloc(40_000);
for (let n = 0; n < 10_000; n += 1) FOUR.write(String(n).padStart(4, "0"), n * 4, "latin1");

/** Writes the line of area code `npa` and 7 digits `rest` at `at` (11 bytes). */
export function writeRegistryLine(buffer: Buffer, at: number, npa: number, rest: number): void {
  buffer[at] = 48 + ((npa / 100) | 0);
  buffer[at + 1] = 48 + (((npa / 10) | 0) % 10);
  buffer[at + 2] = 48 + (npa % 10);
  buffer[at + 3] = 48 + ((rest / 1_000_000) | 0);
  const mid = ((rest / 10_000) | 0) % 100;
  buffer[at + 4] = 48 + ((mid / 10) | 0);
  buffer[at + 5] = 48 + (mid % 10);
  FOUR.copy(buffer, at + 6, (rest % 10_000) * 4, (rest % 10_000) * 4 + 4);
  buffer[at + 10] = 10;
}

/** `count` distinct numbers over `areaCodes` (a multiplicative walk per area code), in chunks. */
export function* registryLines(
  areaCodes: readonly number[],
  count: number,
  chunkLines = 100_000,
): Generator<Buffer> {
  const perArea = Math.ceil(count / areaCodes.length);
  let written = 0;
  for (const npa of areaCodes)
    for (let start = 0; start < perArea && written < count; start += chunkLines) {
      const lines = Math.min(chunkLines, perArea - start, count - written);
      const buffer = Buffer.allocUnsafe(lines * 11);
      for (let i = 0; i < lines; i += 1)
        writeRegistryLine(buffer, i * 11, npa, ((start + i) * 7_919 + npa) % 10_000_000);
      written += lines;
      yield buffer;
    }
}
