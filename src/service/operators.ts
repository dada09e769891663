import bcrypt from "bcryptjs";
import { clockNowMs } from "../core/clock/now.ts";
import { type ServiceUser, TOKEN_USER_NAME } from "../core/config/index.ts";
import { localOperation, type Operation, type Store } from "../core/store/index.ts";
import { PasswordChecks } from "./password-checks.ts";
import { endSessionsOf, generationOf, type Session } from "./sessions.ts";
/**
 * The people who sign in to the board: `viewer` sees, `operator` also acts, `admin` acts on every
 * business unit of a service for several (the others on the tenants they are granted). They come from the
 * config (`service.users`, each with a bcrypt hash) and from the store (`cxo users add`, key-value
 * namespace `service.users`, shared by every instance on one PostgreSQL store); a name in the
 * config wins. Passwords are checked with bcrypt (bcryptjs: plain JavaScript, so `npm ci`
 * installs it on any machine), and an unknown name takes the same path as a known one — the same
 * look-ups, then one comparison, against a decoy hash of the same cost as real ones — so the
 * answer's timing does not tell which names exist. Checks run through a bounded queue
 * (password-checks.ts) on worker threads, never on the event loop.
 */
export const USERS_NAMESPACE = "service.users";
export type Role = ServiceUser["role"];

/** bcrypt's default cost (service.passwordHashCost): about a quarter of a second a check on a server core. */
export const HASH_COST = 12;
export const MIN_PASSWORD_LENGTH = 12;

export interface StoredUser extends ServiceUser {
  createdAt: string;
}

export function hashPassword(password: string, cost = HASH_COST): Promise<string> {
  return bcrypt.hash(password, cost);
}

/** The cost a bcrypt hash was made with (`$2b$12$…` → 12). */
export function hashCost(hash: string): number {
  return Number(/^\$2[abxy]?\$(\d{2})\$/.exec(hash)?.[1] ?? Number.NaN);
}

export interface OperatorsOptions {
  /** The cost of the decoy hash an unknown name is compared against: that of real hashes. */
  hashCost?: number;
  checks?: PasswordChecks;
}

export class Operators {
  private readonly configured: readonly ServiceUser[];
  private readonly store: Pick<Store, "kv">;
  readonly checks: PasswordChecks;
  private readonly decoyCost: number;
  private decoyHash: Promise<string> | undefined;

  constructor(configured: readonly ServiceUser[], store: Pick<Store, "kv">, options: OperatorsOptions = {}) {
    this.configured = configured;
    this.store = store;
    this.checks = options.checks ?? new PasswordChecks();
    this.decoyCost = options.hashCost ?? HASH_COST;
  }

  /** A hash nobody's password matches, of the configured cost (made once, on first use). */
  decoy(): Promise<string> {
    // Off the event loop too: at the configured cost it is a check's worth of CPU.
    this.decoyHash ??= this.checks.bcrypt.hash(`decoy ${Math.random()}, never a password`, this.decoyCost);
    return this.decoyHash;
  }

  /** Whether anyone can sign in (config or store): the board then asks for it. */
  async any(): Promise<boolean> {
    return this.configured.length > 0 || (await storedUsers(this.store)).length > 0;
  }

  async find(name: string): Promise<ServiceUser | undefined> {
    // The store is asked whether the name is configured or not: one path for every name.
    const stored = (await this.store.kv.get<StoredUser | null>(USERS_NAMESPACE, name)) ?? undefined;
    // The token's name is nobody's (a user saved under it by an older version is ignored).
    if (name.toLowerCase() === TOKEN_USER_NAME) return undefined;
    return this.configured.find((user) => user.name === name) ?? stored;
  }

  /**
   * The user, role and record generation for a name and password; null for a wrong name or
   * password alike; "busy" when too many checks are queued already.
   */
  async verify(
    name: string,
    password: string,
  ): Promise<{ name: string; role: Role; generation: string } | null | "busy"> {
    const user = await this.find(name);
    const hash = user?.passwordHash ?? (await this.decoy());
    const checked = await this.checks.compare(password, hash);
    if (checked.busy) return "busy";
    return user && checked.value
      ? { name: user.name, role: user.role, generation: generationOf(user.passwordHash) }
      : null;
  }

  /** Whether a session still matches its user's record: same user, same role, same password. */
  async current(session: Pick<Session, "user" | "role" | "generation">): Promise<boolean> {
    const user = await this.find(session.user);
    return (
      user !== undefined &&
      user.role === session.role &&
      generationOf(user.passwordHash) === session.generation
    );
  }
}

/** Whether a role acts (pause, resume, acknowledge…) and not only sees. */
export function mayAct(role: Role | undefined): boolean {
  return role === "operator" || role === "admin";
}

/** Who asks, as the grant check needs it (auth.ts's principal). */
export interface Asker {
  user: string;
  role: Role;
  via: "token" | "session" | "open";
}

/**
 * The tenants among `names` (in their order) someone may see on a service for several business
 * units: every one for the access token, an admin and the open loopback board (nobody signs in);
 * a viewer's or an operator's grants otherwise, read from their record on every request (a
 * changed grant applies at once). A user without grants sees none.
 */
export async function grantedTenants(
  operators: Pick<Operators, "find">,
  asker: Asker | null | undefined,
  names: readonly string[],
): Promise<string[]> {
  if (!asker) return [];
  if (asker.via !== "session" || asker.role === "admin") return [...names];
  const grants = new Set((await operators.find(asker.user))?.tenants ?? []);
  return names.filter((name) => grants.has(name));
}

/** The users kept in the store (a removed one is kept as null: checkpoints only write). */
export async function storedUsers(store: Pick<Store, "kv">): Promise<StoredUser[]> {
  return (await store.kv.list(USERS_NAMESPACE))
    .map((row) => row.value as StoredUser | null)
    .filter((user): user is StoredUser => user !== null);
}

/**
 * Adds (or replaces) a user in the store, journaled and audited as done by `actor` (who ran it:
 * `cli:<OS user>`); the hash is never audited. The user's sessions end, on every instance.
 */
export function saveUser(
  store: Pick<Store, "journal" | "kv">,
  user: StoredUser,
  actor?: string,
): Promise<null> {
  const operation = localOperation<StoredUser>("service.users.save", (u) => ({
    after: { name: u.name, role: u.role, ...(u.tenants ? { tenants: u.tenants } : {}) },
    checkpoints: [{ namespace: USERS_NAMESPACE, key: u.name, value: u }],
    // The hash lives in the users' key-value row only: the journal forgets it (this save's
    // and every earlier one's), so a replaced or removed user's hash is nowhere in the store.
    retainPayload: { name: u.name, role: u.role, ...(u.tenants ? { tenants: u.tenants } : {}) },
    forgetPayloads: forgetSaves(u.name),
  }));
  return changeUser(store, user.name, operation, { payload: user }, actor);
}

/** Removes a user from the store (journaled, audited with `actor`) and ends their sessions. */
export function removeUser(
  store: Pick<Store, "journal" | "kv">,
  name: string,
  actor?: string,
): Promise<null> {
  const operation = localOperation<{ name: string }>("service.users.remove", (p) => ({
    after: { name: p.name, removed: true },
    checkpoints: [{ namespace: USERS_NAMESPACE, key: p.name, value: null }],
    forgetPayloads: forgetSaves(p.name),
  }));
  const request = { payload: { name }, idempotencyKey: `cxo-user-remove-${name}-${clockNowMs()}` };
  return changeUser(store, name, operation, request, actor);
}

/** What a change of user `name` has the journal forget: the payloads (hashes) of their saves. */
const forgetSaves = (name: string) => ({ kind: "service.users.save", payload: { name, forgotten: true } });

/** Runs a change of user `name` (journaled, audited as done by `actor`), then ends their sessions. */
async function changeUser<P>(
  store: Pick<Store, "journal" | "kv">,
  name: string,
  operation: Operation<P, null>,
  request: { payload: P; idempotencyKey?: string },
  actor: string | undefined,
): Promise<null> {
  const done = await store.journal.run(operation, {
    target: `user:${name}`,
    ...request,
    ...(actor ? { actor } : {}),
  });
  await endSessionsOf(store, name);
  return done;
}
