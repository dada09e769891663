import { randomBytes } from "node:crypto";
import { readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";

/**
 * Who holds a lease. `id` is `host:pid:boot:pidns:random`:
 * - `random` makes it unique per open store (two stores in one process are two holders, and a
 *   restarted process that gets the same pid is another holder);
 * - `host`, `boot` (the kernel's boot id) and `pidns` (the inode of the pid namespace) say where
 *   `pid` means something: only a process on the same host, booted the same time, in the same pid
 *   namespace can tell from `pid` that the holder is gone, without waiting for its lease to run
 *   out. Two containers with the same host name in separate pid namespaces (the default for
 *   Docker and Kubernetes) share the boot id but not the namespace, so neither ever judges the
 *   other by a pid number that, to it, names some other process or none.
 * `name` is the readable instance name for /api/health and the `instance` label of /metrics
 * (CXO_INSTANCE_ID).
 */
export interface InstanceIdentity {
  readonly id: string;
  readonly name: string;
}

/** Where this process's pids mean something; "-" for what this system does not tell. */
export interface PidScope {
  host: string;
  boot: string;
  pidNamespace: string;
}

let scope: PidScope | undefined;

export function pidScope(): PidScope {
  if (!scope) {
    let boot = "-";
    let pidNamespace = "-";
    try {
      boot =
        readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim().replaceAll("-", "").slice(0, 16) ||
        "-";
    } catch {
      // Not Linux (or /proc is not mounted).
    }
    try {
      pidNamespace = /\[(\d+)\]/.exec(readlinkSync("/proc/self/ns/pid"))?.[1] ?? "-";
    } catch {
      // Not Linux, or namespaces are hidden from us.
    }
    scope = { host: hostname().replaceAll(":", "_"), boot, pidNamespace };
  }
  return scope;
}

export function newInstanceIdentity(name?: string): InstanceIdentity {
  const { host, boot, pidNamespace } = pidScope();
  const id = `${host}:${process.pid}:${boot}:${pidNamespace}:${randomBytes(5).toString("hex")}`;
  return { id, name: name ?? `${hostname()}:${process.pid}` };
}

/**
 * True only when `holderId` provably names a process that no longer exists: same host, same
 * boot, same pid namespace, and its pid is gone. Anything else — another host or container, an
 * identity from an older build (`host:pid:random`, which does not say where its pid lives), a
 * Linux system that hides its boot id or namespace, this process, a live pid — is never
 * declared dead: its lease must run out by the database's clock.
 */
export function holderIsDeadHere(holderId: string, here: PidScope = pidScope()): boolean {
  const parts = holderId.split(":");
  if (parts.length !== 5) return false;
  const [host, pidText, boot, pidNamespace] = parts;
  if (host !== here.host || boot !== here.boot || pidNamespace !== here.pidNamespace) return false;
  // Without a boot id and namespace, a pid proves nothing on Linux (containers); elsewhere
  // (macOS, Windows) processes of one host share one pid space.
  if ((boot === "-" || pidNamespace === "-") && process.platform === "linux") return false;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
