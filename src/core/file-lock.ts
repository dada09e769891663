import { closeSync, constants, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { clockNowDate } from "./clock/now.ts";
import { InputError } from "./input-error.ts";
/**
 * A lock file that says "this run is writing X" (an export's dataset or file), so a second run
 * writing the same X at the same time is refused with a clear message instead of the two
 * interleaving their files (two Parquet exports into one dataset failed with a raw ENOENT from
 * a rename, issue 51 item 15).
 *
 * The file is created exclusively (O_CREAT|O_EXCL, never through a link) and holds the owner's
 * pid, host and start time. A lock whose process is gone (killed, crashed: the file stays) is
 * stale: it is taken over. A lock held by a live process is refused (InputError, exit 2) naming
 * that process. A lock from another host cannot be checked, so it is refused too, naming the
 * file to remove once that run is known to be over.
 */
export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  what: string;
}

export interface FileLock {
  readonly path: string;
  /** Removes the lock file, if it is still this run's. */
  release(): void;
}

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

function readOwner(path: string): { text: string; owner: LockOwner | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    return { text, owner: Number.isInteger(owner.pid) ? owner : undefined };
  } catch {
    return { text, owner: undefined };
  }
}

/** Whether process `pid` runs on this host (EPERM: it does, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the lock at `path` for `what` (e.g. `the Parquet dataset /x/campaign=7`), or throws an
 * InputError naming `field` and the run that holds it.
 */
export function acquireFileLock(path: string, options: { field: string; what: string }): FileLock {
  const mine: LockOwner = {
    pid: process.pid,
    host: hostname(),
    startedAt: clockNowDate().toISOString(),
    what: options.what,
  };
  const text = `${JSON.stringify(mine)}\n`;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const held = readOwner(path);
      if (!held) continue; // released meanwhile: try again
      const { owner } = held;
      const sameHost = owner?.host === mine.host;
      if (owner && sameHost && !processAlive(owner.pid)) {
        // Stale: its process is gone. Removed only if it is still that one (another run may
        // have taken it over meanwhile).
        if (readOwner(path)?.text === held.text) unlinkSync(path);
        continue;
      }
      throw new InputError({
        field: options.field,
        rule: owner
          ? `${options.what} is being written by another cxo run (pid ${owner.pid}${sameHost ? "" : ` on ${owner.host}`}, since ${owner.startedAt}): wait for it to finish${sameHost ? "" : `, or remove ${path} once it is over`}`
          : `${options.what} is locked by ${path}, which is not a lock cxo wrote: remove it if no export is running`,
      });
    }
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    return {
      path,
      release() {
        try {
          if (readOwner(path)?.text === text) unlinkSync(path);
        } catch {
          // gone already
        }
      },
    };
  }
  throw new InputError({
    field: options.field,
    rule: `${options.what}: cannot take its lock ${path} (other runs keep taking it)`,
  });
}
