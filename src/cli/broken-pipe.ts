/**
 * `cxo … | head -1`: the reader leaves after the first line and our next write fails with EPIPE.
 * That is the reader's choice, not a failure of ours: exit quietly with 0, as gh and git do,
 * instead of printing "error: write EPIPE" and exiting 1.
 */
export function isBrokenPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "EPIPE";
}

/** Stdout errors that nobody awaited (a write's callback) end the process quietly on EPIPE. */
export function exitQuietlyOnBrokenPipe(): void {
  process.stdout.on("error", (error) => {
    if (isBrokenPipe(error)) process.exit(0);
    throw error;
  });
}
