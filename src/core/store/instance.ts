import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

/**
 * Who holds a lease. `id` is `host:pid:random`: unique per open store (two stores in one
 * process are two holders), and it lets a process on the same host tell that a holder is gone
 * (its pid no longer exists) without waiting for the lease to run out. `name` is the readable
 * instance name for /api/health and the `instance` label of /metrics (CXO_INSTANCE_ID).
 */
export interface InstanceIdentity {
  readonly id: string;
  readonly name: string;
}

export function newInstanceIdentity(name?: string): InstanceIdentity {
  const id = `${hostname()}:${process.pid}:${randomBytes(5).toString("hex")}`;
  return { id, name: name ?? `${hostname()}:${process.pid}` };
}

/**
 * True only when `holderId` names a process on THIS host that no longer exists. A holder on
 * another host, in this process, or still alive is never declared dead: its lease must expire.
 */
export function holderIsDeadHere(holderId: string): boolean {
  const [host, pidText] = holderId.split(":");
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
