import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { clockNowMs } from "../core/clock/now.ts";
import type { Store } from "../core/store/index.ts";
import type { Role } from "./operators.ts";
/**
 * Board sessions, kept in the store (key-value namespace `service.sessions`) so every instance on
 * one PostgreSQL store knows them. The cookie carries a random id; the store keys the session by
 * the id's SHA-256, so a copy of the store holds no usable cookie. Each session has its own CSRF
 * token, checked server-side on every action (a page on another site can make the browser send
 * the cookie, never read the token).
 */
export const SESSIONS_NAMESPACE = "service.sessions";
export const SESSION_COOKIE = "cxo_session";

export interface Session {
  user: string;
  role: Role;
  /**
   * Which version of the user's record the session was started from (a digest of its password
   * hash, whose salt changes with every save): a session of an earlier record is dead.
   */
  generation: string;
  csrf: string;
  createdAt: string;
  expiresAt: string;
}

const digest = (value: string) => createHash("sha256").update(value).digest("hex");
const token = () => randomBytes(32).toString("base64url");

export function sameSecret(given: string, expected: string): boolean {
  // Equal-length digests, so the comparison's time says nothing about the secret.
  return timingSafeEqual(
    createHash("sha256").update(given).digest(),
    createHash("sha256").update(expected).digest(),
  );
}

export class Sessions {
  private readonly store: Pick<Store, "kv">;
  private readonly lifetimeMs: number;
  private readonly now: () => number;

  constructor(store: Pick<Store, "kv">, lifetimeMs: number, now: () => number = clockNowMs) {
    this.store = store;
    this.lifetimeMs = lifetimeMs;
    this.now = now;
  }

  get lifetimeSeconds(): number {
    return Math.round(this.lifetimeMs / 1000);
  }

  async create(user: string, role: Role, generation: string): Promise<{ id: string; session: Session }> {
    const id = token();
    const at = this.now();
    const session: Session = {
      user,
      role,
      generation,
      csrf: token(),
      createdAt: new Date(at).toISOString(),
      expiresAt: new Date(at + this.lifetimeMs).toISOString(),
    };
    await this.store.kv.set(SESSIONS_NAMESPACE, digest(id), session);
    await this.sweep();
    return { id, session };
  }

  async get(id: string): Promise<Session | undefined> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(id)) return undefined;
    const session = await this.store.kv.get<Session>(SESSIONS_NAMESPACE, digest(id));
    if (!session) return undefined;
    if (Date.parse(session.expiresAt) <= this.now()) {
      await this.store.kv.delete(SESSIONS_NAMESPACE, digest(id));
      return undefined;
    }
    return session;
  }

  async end(id: string): Promise<void> {
    await this.store.kv.delete(SESSIONS_NAMESPACE, digest(id));
  }

  /** Every unexpired session in the store, by its store key (the hub's periodic check). */
  async all(): Promise<Array<{ key: string; session: Session }>> {
    const now = this.now();
    return (await this.store.kv.list(SESSIONS_NAMESPACE))
      .map((row) => ({ key: row.key, session: row.value as Session | null }))
      .filter((row): row is { key: string; session: Session } =>
        Boolean(row.session && Date.parse(row.session.expiresAt) > now),
      );
  }

  /** Drops expired sessions (at each sign-in: the table stays as small as the live sessions). */
  private async sweep(): Promise<void> {
    for (const row of await this.store.kv.list(SESSIONS_NAMESPACE)) {
      const session = row.value as Session | null;
      if (!session || Date.parse(session.expiresAt) <= this.now())
        await this.store.kv.delete(SESSIONS_NAMESPACE, row.key);
    }
  }
}

/** The key a stream or a log may carry for a session: its store key, not the cookie. */
export const sessionKey = (id: string): string => digest(id);

/**
 * Ends every session of `user` in the store (the user was saved again or removed): every
 * instance on that store refuses the cookie from its next request on.
 */
export async function endSessionsOf(store: Pick<Store, "kv">, user: string): Promise<number> {
  let ended = 0;
  for (const row of await store.kv.list(SESSIONS_NAMESPACE)) {
    const session = row.value as Session | null;
    if (session?.user === user && (await store.kv.delete(SESSIONS_NAMESPACE, row.key))) ended++;
  }
  return ended;
}

/** A user record's generation: changes with every save (bcrypt's salt is new each time). */
export function generationOf(passwordHash: string): string {
  return digest(`generation:${passwordHash}`).slice(0, 24);
}
