import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { holderIsDeadHere, newInstanceIdentity, pidScope } from "../../src/core/store/instance.ts";

/**
 * Instance identity (issue 32 §2): a holder is declared dead (its leases seized before they run
 * out) only when it provably was a process of this host, this boot and this pid namespace whose
 * pid is gone. Two containers with one host name in separate pid namespaces must never seize
 * each other's live leases because a pid number means nothing (or another process) to them.
 */
const deadPid = (): number => {
  const child = spawnSync(process.execPath, ["-e", "0"]);
  return child.pid!;
};

describe("instance identity and holderIsDeadHere", () => {
  const here = pidScope();
  const id = (pid: number, scope: { boot?: string; pidNamespace?: string; host?: string } = {}) =>
    `${scope.host ?? here.host}:${pid}:${scope.boot ?? here.boot}:${scope.pidNamespace ?? here.pidNamespace}:0123456789`;

  it("the id names host, pid, boot, pid namespace and a random part; unique per store", () => {
    const one = newInstanceIdentity();
    const two = newInstanceIdentity();
    expect(one.id.split(":")).toHaveLength(5);
    expect(one.id.startsWith(`${hostname().replaceAll(":", "_")}:${process.pid}:`)).toBe(true);
    expect(one.id).not.toBe(two.id);
    if (process.platform === "linux") {
      expect(here.boot).toMatch(/^[0-9a-f]{16}$/);
      expect(here.pidNamespace).toMatch(/^\d+$/);
    }
  });

  it("a dead process of this host, boot and pid namespace is dead", () => {
    expect(holderIsDeadHere(id(deadPid()))).toBe(true);
  });

  it("the same host name and pid in another pid namespace (another container) is never declared dead", () => {
    expect(holderIsDeadHere(id(deadPid(), { pidNamespace: "4026530000" }))).toBe(false);
  });

  it("another boot, another host, an old-format id, a live pid or this process: never dead", () => {
    const pid = deadPid();
    expect(holderIsDeadHere(id(pid, { boot: "ffffffffffffffff" }))).toBe(false);
    expect(holderIsDeadHere(id(pid, { host: "elsewhere" }))).toBe(false);
    // An older build's `host:pid:random` does not say which namespace its pid lives in.
    expect(holderIsDeadHere(`${here.host}:${pid}:0123456789`)).toBe(false);
    expect(holderIsDeadHere(id(process.ppid))).toBe(false);
    expect(holderIsDeadHere(id(process.pid))).toBe(false);
  });

  it.runIf(process.platform === "linux")(
    "on Linux, without a boot id or namespace a pid proves nothing",
    () => {
      const pid = deadPid();
      const blind = { host: here.host, boot: "-", pidNamespace: "-" };
      expect(holderIsDeadHere(`${here.host}:${pid}:-:-:0123456789`, blind)).toBe(false);
    },
  );
});
