/**
 * The last N API requests (token requests included, admin requests excluded), so tests can
 * prove what a client sent, or that bad input sent nothing. A ring buffer: constant memory.
 */
export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, unknown>;
  /** 0 when a fault reset the connection instead of answering. */
  status: number;
  at: string;
  clientId: string | null;
  /**
   * The production API: the access key whose token the request carried (or that a token request
   * logged in with). The seed API's user is its client, `clientId`.
   */
  apiUser?: string;
  /** The endpoint group (the seed's groups, or the production emulator's). */
  group: string | null;
  /** Present when a `truncateRate` fault cut the answer off mid-body. */
  truncated?: true;
  /** Present when the answer was replayed for a reused idempotency key (no effect this time). */
  replayed?: true;
  /** The JSON body's field names, dotted (`skills[].skillName`), never values (production API routes). */
  bodyFields?: string[];
}

/** A JSON body's field names as dotted paths (`a.b`, `list[].c`); arrays are sampled. */
export function fieldNamesOf(value: unknown, prefix = "", out: Set<string> = new Set()): string[] {
  if (Array.isArray(value)) {
    for (const item of value.slice(0, 20)) fieldNamesOf(item, `${prefix}[]`, out);
  } else if (value !== null && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      const name = prefix ? `${prefix}.${key}` : key;
      out.add(name);
      fieldNamesOf(inner, name, out);
    }
  }
  return [...out];
}

/** A URL's path, without the query. */
export function pathOf(url: string): string {
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

/** What both emulators know of a request when they log it. */
export interface LoggableRequest {
  method: string;
  /** As the client sent it (before any URL rewrite). */
  originalUrl: string;
  query: unknown;
}

/** One log entry: the path as sent (no query), a copy of the query, the outcome. */
export function entryOf(
  request: LoggableRequest,
  outcome: {
    status: number;
    at: Date;
    clientId: string | null;
    apiUser?: string;
    group: string | null;
    truncated?: boolean;
    replayed?: boolean;
    bodyFields?: string[];
  },
): LoggedRequest {
  return {
    method: request.method,
    path: pathOf(request.originalUrl),
    query: { ...((request.query as Record<string, unknown>) ?? {}) },
    status: outcome.status,
    at: outcome.at.toISOString(),
    clientId: outcome.clientId,
    ...(outcome.apiUser ? { apiUser: outcome.apiUser } : {}),
    group: outcome.group,
    ...(outcome.truncated ? { truncated: true as const } : {}),
    ...(outcome.replayed ? { replayed: true as const } : {}),
    ...(outcome.bodyFields ? { bodyFields: outcome.bodyFields } : {}),
  };
}

export class RequestLog {
  private readonly capacity: number;
  private readonly entries: (LoggedRequest | undefined)[];
  private next = 0;
  private size = 0;

  constructor(capacity = 100_000) {
    this.capacity = capacity;
    this.entries = new Array(capacity);
  }

  add(entry: LoggedRequest): void {
    this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** Oldest first. */
  list(): LoggedRequest[] {
    const out: LoggedRequest[] = [];
    const start = (this.next - this.size + this.capacity) % this.capacity;
    for (let i = 0; i < this.size; i++) out.push(this.entries[(start + i) % this.capacity] as LoggedRequest);
    return out;
  }

  clear(): void {
    this.entries.fill(undefined);
    this.next = 0;
    this.size = 0;
  }
}
