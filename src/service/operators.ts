import bcrypt from "bcryptjs";
import type { ServiceUser } from "../core/config/index.ts";
import { localOperation, type Store } from "../core/store/index.ts";

/**
 * The people who sign in to the board: `viewer` sees, `operator` also acts. They come from the
 * config (`service.users`, each with a bcrypt hash) and from the store (`cxo users add`, key-value
 * namespace `service.users`, shared by every instance on one PostgreSQL store); a name in the
 * config wins. Passwords are checked with bcrypt (bcryptjs: plain JavaScript, so `npm ci`
 * installs it on any machine), and an unknown name costs the same comparison as a known one, so
 * the answer's timing does not tell which names exist.
 */
export const USERS_NAMESPACE = "service.users";
export type Role = ServiceUser["role"];

/** bcrypt's cost for new hashes: about a quarter of a second a check on a server core. */
export const HASH_COST = 12;
export const MIN_PASSWORD_LENGTH = 12;

export interface StoredUser extends ServiceUser {
  createdAt: string;
}

export function hashPassword(password: string, cost = HASH_COST): Promise<string> {
  return bcrypt.hash(password, cost);
}

/** A hash nobody's password matches, compared against when the name is unknown. */
const DECOY = bcrypt.hashSync("decoy password, never a real one", 10);

export class Operators {
  private readonly configured: readonly ServiceUser[];
  private readonly store: Pick<Store, "kv">;

  constructor(configured: readonly ServiceUser[], store: Pick<Store, "kv">) {
    this.configured = configured;
    this.store = store;
  }

  /** Whether anyone can sign in (config or store): the board then asks for it. */
  async any(): Promise<boolean> {
    return this.configured.length > 0 || (await storedUsers(this.store)).length > 0;
  }

  async find(name: string): Promise<ServiceUser | undefined> {
    const fromConfig = this.configured.find((user) => user.name === name);
    if (fromConfig) return fromConfig;
    return (await this.store.kv.get<StoredUser | null>(USERS_NAMESPACE, name)) ?? undefined;
  }

  /** The user and role for a name and password, or null (wrong name or password alike). */
  async verify(name: string, password: string): Promise<{ name: string; role: Role } | null> {
    const user = await this.find(name);
    const matches = await bcrypt.compare(password, user?.passwordHash ?? DECOY);
    return user && matches ? { name: user.name, role: user.role } : null;
  }
}

/** The users kept in the store (a removed one is kept as null: checkpoints only write). */
export async function storedUsers(store: Pick<Store, "kv">): Promise<StoredUser[]> {
  return (await store.kv.list(USERS_NAMESPACE))
    .map((row) => row.value as StoredUser | null)
    .filter((user): user is StoredUser => user !== null);
}

/** Adds (or replaces) a user in the store, journaled and audited; the hash is never audited. */
export function saveUser(store: Pick<Store, "journal">, user: StoredUser): Promise<null> {
  return store.journal.run(
    localOperation<StoredUser>("service.users.save", (u) => ({
      after: { name: u.name, role: u.role },
      checkpoints: [{ namespace: USERS_NAMESPACE, key: u.name, value: u }],
      // The hash lives in the users' key-value row only: the journal forgets it (this save's
      // and every earlier one's), so a replaced or removed user's hash is nowhere in the store.
      retainPayload: { name: u.name, role: u.role },
      forgetPayloads: { kind: "service.users.save", payload: { name: u.name, forgotten: true } },
    })),
    { target: `user:${user.name}`, payload: user },
  );
}

export function removeUser(store: Pick<Store, "journal">, name: string): Promise<null> {
  return store.journal.run(
    localOperation<{ name: string }>("service.users.remove", (p) => ({
      after: { name: p.name, removed: true },
      checkpoints: [{ namespace: USERS_NAMESPACE, key: p.name, value: null }],
      forgetPayloads: { kind: "service.users.save", payload: { name: p.name, forgotten: true } },
    })),
    { target: `user:${name}`, payload: { name }, idempotencyKey: `cxo-user-remove-${name}-${Date.now()}` },
  );
}
