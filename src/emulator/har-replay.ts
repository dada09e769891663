import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Serves a recorded HAR back (`cxo doctor --record FILE.har`): each request gets the answer
 * recorded for the same method and path, the one whose query agrees best, in recorded order
 * (so a path asked twice gets its two answers in turn). Every origin the recording talked to
 * (the issuer, the API host) is rewritten to the replayer's own, so a client pointed at it
 * follows discovery back to it. A maintainer replays a user's run offline; a test proves doctor
 * reaches the same verdicts from the recording as from the tenant.
 */
interface Recorded {
  method: string;
  path: string;
  query: Map<string, string>;
  status: number;
  headers: Array<{ name: string; value: string }>;
  text: string | undefined;
  used: boolean;
}

export interface HarReplay {
  url: string;
  /** Requests that found no recorded answer (answered 404). */
  readonly unmatched: string[];
  close(): Promise<void>;
}

/** Headers a replay must not copy: the replayer's own framing decides them. */
const HOP_HEADERS = new Set([
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "content-encoding",
]);

function entriesOf(file: string): { entries: Recorded[]; origins: string[] } {
  const har = JSON.parse(readFileSync(file, "utf8")) as {
    log?: {
      entries?: Array<{
        request: { method: string; url: string };
        response: {
          status: number;
          headers?: Array<{ name: string; value: string }>;
          content?: { text?: string };
        };
      }>;
    };
  };
  const origins = new Set<string>();
  const entries: Recorded[] = [];
  for (const entry of har.log?.entries ?? []) {
    const url = new URL(entry.request.url);
    origins.add(url.origin);
    entries.push({
      method: entry.request.method.toUpperCase(),
      path: url.pathname,
      query: new Map(url.searchParams),
      status: entry.response.status,
      headers: entry.response.headers ?? [],
      text: entry.response.content?.text,
      used: false,
    });
  }
  return { entries, origins: [...origins].sort((a, b) => b.length - a.length) };
}

function score(recorded: Map<string, string>, asked: URLSearchParams): number {
  let points = 0;
  const keys = new Set([...recorded.keys(), ...asked.keys()]);
  for (const key of keys) {
    const a = recorded.get(key);
    const b = asked.get(key) ?? undefined; // URLSearchParams answers null for a missing key
    if (a !== undefined && b !== undefined) points += a === b ? 3 : 1;
    else points -= 2;
  }
  return points;
}

export async function startHarReplay(
  file: string,
  options: { port?: number; host?: string } = {},
): Promise<HarReplay> {
  const { entries, origins } = entriesOf(file);
  const unmatched: string[] = [];
  let self = "";
  const rewrite = (text: string) => origins.reduce((out, origin) => out.split(origin).join(self), text);
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    const url = new URL(request.url ?? "/", self);
    const method = (request.method ?? "GET").toUpperCase();
    const candidates = entries.filter((e) => e.method === method && e.path === url.pathname);
    const fresh = candidates.filter((e) => !e.used);
    const pool = fresh.length > 0 ? fresh : candidates;
    let best: Recorded | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const candidate of pool) {
      const s = score(candidate.query, url.searchParams);
      if (s > bestScore) {
        best = candidate;
        bestScore = s;
      }
    }
    if (!best) {
      unmatched.push(`${method} ${url.pathname}${url.search}`);
      response.writeHead(404, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          error: "NotRecorded",
          errorDescription: `${method} ${url.pathname} is not in the recording`,
        }),
      );
      return;
    }
    best.used = true;
    const headers: Record<string, string> = {};
    for (const { name, value } of best.headers)
      if (!HOP_HEADERS.has(name.toLowerCase())) headers[name] = rewrite(value);
    response.writeHead(best.status, headers);
    response.end(
      best.text === undefined || best.status === 204 || best.status === 304 ? undefined : rewrite(best.text),
    );
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve),
  );
  const { port } = server.address() as AddressInfo;
  self = `http://${options.host ?? "127.0.0.1"}:${port}`;
  return {
    url: self,
    unmatched,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
