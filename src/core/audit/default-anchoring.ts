import { createHash, randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import type { AuditSettings } from "../config/schema.ts";
import { registerSecret } from "../logging/secrets.ts";
import type { Store } from "../store/index.ts";
import { addCheckpoint } from "../store/kv.ts";

/**
 * Issue 77 §5: audit anchoring is on by default wherever the store can hold an anchor key, and
 * says where it cannot. A key set in the settings (`audit.anchorKey`, CXO_AUDIT_ANCHOR_KEY) always
 * wins. Without one:
 * - a **PostgreSQL** store holds the key (made once, 32 random bytes, in the store's `kv`): the
 *   database is a server, not the data dir, so the key is still not beside the data dir's files
 *   (DESIGN: no secret in the data dir) and every instance of the installation signs with it;
 * - a **SQLite** store cannot: it *is* a file in the data dir, and a key kept there would sit
 *   beside the chain it protects. Anchoring is then off, and `cxo serve` says so at start.
 * Anchors go to `audit.anchorFile` / `audit.anchorDestination` when set, else to a file of the
 * user's state directory, outside the data dir (`$XDG_STATE_HOME/cxo/anchors/<tenant>-<digest of the store's location>.jsonl`,
 * `~/.local/state/…` by default), which `cxo audit verify` then checks by itself.
 */
export type Anchoring =
  | {
      on: true;
      settings: AuditSettings & { anchorKey: string };
      keySource: "settings" | "store";
      file: string | null;
    }
  | { on: false; why: string };

const KEY_NAMESPACE = "audit.anchor";
const KEY_NAME = "key";

/**
 * The anchor file used when the settings name neither a file nor a destination: one per store
 * (its tenant and a digest of where it lives), so two stores never check each other's anchors.
 */
export function defaultAnchorFile(
  store: { location: string; tenant: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): string {
  const state = env.XDG_STATE_HOME || path.join(env.HOME || homedir(), ".local", "state");
  const where = createHash("sha256").update(store.location).digest("hex").slice(0, 12);
  return path.join(state, "cxo", "anchors", `${store.tenant ?? "default"}-${where}.jsonl`);
}

export async function resolveAnchoring(audit: AuditSettings, store: Store): Promise<Anchoring> {
  const key = audit.anchorKey ?? (await storeHeldKey(store));
  if (key === undefined)
    return {
      on: false,
      why: "the SQLite store is a file of the data dir, which holds no secret: set CXO_AUDIT_ANCHOR_KEY (audit.anchorKey, kept in a vault) to anchor the audit log",
    };
  registerSecret(key);
  let file = audit.anchorFile ?? null;
  if (file === null && !audit.anchorDestination) {
    file = defaultAnchorFile({ location: store.location, tenant: store.audit.tenant ?? undefined });
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    } catch (error) {
      return {
        on: false,
        why: `the default anchor file's directory ${path.dirname(file)} cannot be made (${(error as Error).message}): set audit.anchorFile or audit.anchorDestination`,
      };
    }
  }
  return {
    on: true,
    settings: { ...audit, anchorKey: key, ...(file ? { anchorFile: file } : {}) },
    keySource: audit.anchorKey ? "settings" : "store",
    file,
  };
}

/** The key a PostgreSQL store keeps (made on first use); undefined for SQLite. */
async function storeHeldKey(store: Store): Promise<string | undefined> {
  if (store.backend !== "postgres") return undefined;
  const held = await store.kv.get<string>(KEY_NAMESPACE, KEY_NAME);
  if (typeof held === "string" && held.length >= 16) return held;
  const made = randomBytes(32).toString("base64url");
  // Two instances starting together: the first write wins, both read it back.
  await addCheckpoint(store.db, { namespace: KEY_NAMESPACE, key: KEY_NAME, value: made });
  return (await store.kv.get<string>(KEY_NAMESPACE, KEY_NAME)) as string;
}
