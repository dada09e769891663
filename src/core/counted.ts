/** "1 page", "2 pages", "12,000 records": a count with its noun, singular when it is one. */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? singular : plural}`;
}

/**
 * A file size as a person reads it: bytes under 1 kB, kB under 1 MB, then MB (decimal units, as
 * `ls --si` and file managers show them). "0.0 MB" for a 33 kB file said nothing.
 */
export function fileSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(bytes < 1e4 ? 1 : 0)} kB`;
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;
}
