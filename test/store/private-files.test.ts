import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";
import { removeUser, saveUser, storedUsers } from "../../src/service/operators.ts";

/**
 * Issue 51 item 11: the data dir is the owner's alone (0700), the store file and its WAL 0600
 * (an earlier version's 0755/0644 are narrowed), and the store keeps no bcrypt hash of a user
 * once it was replaced or removed: not in the users' rows, not in the journal's payloads, not
 * in free pages (the bytes of every store file are searched).
 */
const mode = (file: string) => statSync(file).mode & 0o777;
/** Two bcrypt-shaped hashes (cost 4): their text must not be found in the store's bytes. */
const HASH_A = `$2b$04$${"A".repeat(53)}`;
const HASH_B = `$2b$04$${"B".repeat(53)}`;
const storeBytes = (dir: string): string =>
  ["cxo.sqlite", "cxo.sqlite-wal", "cxo.sqlite-shm"]
    .map((name) => path.join(dir, name))
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString("latin1"))
    .join("\n");

describe("a private data dir", () => {
  it("is made 0700 with its store 0600 (the WAL too), and narrows an older 0755/0644 one", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "cxo-private-")), "data");
    const store = await openStore(dir);
    await store.kv.set("t", "k", { v: 1 });
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, "cxo.sqlite"))).toBe(0o600);
    expect(mode(path.join(dir, "cxo.sqlite-wal"))).toBe(0o600);
    await store.close();

    const old = path.join(mkdtempSync(path.join(tmpdir(), "cxo-private-")), "data");
    mkdirSync(old, { mode: 0o755 });
    chmodSync(old, 0o755);
    writeFileSync(path.join(old, "cxo.sqlite"), "", { mode: 0o644 });
    chmodSync(path.join(old, "cxo.sqlite"), 0o644);
    const again = await openStore(old);
    expect(mode(old)).toBe(0o700);
    expect(mode(path.join(old, "cxo.sqlite"))).toBe(0o600);
    await again.close();
  });

  it("never follows a planted -wal or -shm link: the link's target keeps its mode, the store is refused (issue 63 N18)", async () => {
    for (const suffix of ["-wal", "-shm"]) {
      const dir = path.join(mkdtempSync(path.join(tmpdir(), "cxo-private-")), "data");
      mkdirSync(dir, { mode: 0o700 });
      writeFileSync(path.join(dir, "cxo.sqlite"), "", { mode: 0o600 });
      const victim = path.join(mkdtempSync(path.join(tmpdir(), "cxo-victim-")), "victim.txt");
      writeFileSync(victim, "the victim's own file\n");
      chmodSync(victim, 0o644);
      symlinkSync(victim, path.join(dir, `cxo.sqlite${suffix}`));
      await expect(openStore(dir)).rejects.toThrow(new RegExp(`cxo\\.sqlite${suffix}" is a symbolic link`));
      expect(mode(victim)).toBe(0o644);
      expect(readFileSync(victim, "utf8")).toBe("the victim's own file\n");
    }
  });

  it("keeps no hash of a replaced or removed user, anywhere in the store's files", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "cxo-private-")), "data");
    const store = await openStore(dir);
    const createdAt = new Date().toISOString();
    await saveUser(store, { name: "tempop", role: "operator", passwordHash: HASH_A, createdAt });
    await saveUser(store, { name: "tempop", role: "viewer", passwordHash: HASH_B, createdAt });
    expect((await storedUsers(store)).map((u) => u.passwordHash)).toEqual([HASH_B]);
    await removeUser(store, "tempop");
    expect(await storedUsers(store)).toEqual([]);
    await store.close();
    const bytes = storeBytes(dir);
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.includes(HASH_A)).toBe(false);
    expect(bytes.includes(HASH_B)).toBe(false);
  });

  it("after a password change, only the current hash is kept", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "cxo-private-")), "data");
    const store = await openStore(dir);
    const createdAt = new Date().toISOString();
    await saveUser(store, { name: "opal", role: "operator", passwordHash: HASH_A, createdAt });
    await saveUser(store, { name: "opal", role: "operator", passwordHash: HASH_B, createdAt });
    await store.close();
    const bytes = storeBytes(dir);
    expect(bytes.includes(HASH_A)).toBe(false);
    expect(bytes.includes(HASH_B)).toBe(true);
  });
});
