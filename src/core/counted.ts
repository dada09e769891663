/** "1 page", "2 pages", "12,000 records": a count with its noun, singular when it is one. */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? singular : plural}`;
}
