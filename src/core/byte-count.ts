/** A size limit as people read it in a refusal: `8 MiB`, `1 MiB`, else the bytes. */
export function bytesText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${bytes} bytes`;
}
