import type { ServerResponse } from "node:http";

/**
 * Server-sent events to every open dashboard. Each client gets `event: <name>` + one JSON data
 * line; a comment line every `heartbeatMs` keeps proxies from closing an idle stream. A slow
 * client whose socket buffer is full is dropped rather than buffered without bound.
 *
 * A stream opened with a session belongs to it: it ends when the session ends here (sign-out,
 * `endSession`) and, every `sessionCheckMs`, when the store no longer holds the session as good
 * (signed out on another instance, its user removed, demoted or given a new password).
 */
export class SseHub {
  /** Each stream and the store key of the session it was opened with (none: token, open board). */
  private readonly clients = new Map<ServerResponse, string | undefined>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly maxBufferedBytes: number;
  private readonly sessionCheckMs: number;
  private sessionCheck: NodeJS.Timeout | undefined;

  constructor(options: { heartbeatMs?: number; maxBufferedBytes?: number; sessionCheckMs?: number } = {}) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1 << 20;
    this.sessionCheckMs = options.sessionCheckMs ?? 2_000;
    this.heartbeat = setInterval(() => this.write(": keep-alive\n\n"), options.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
  }

  /** Checks the sessions of open streams against the store every sessionCheckMs (one look-up a round). */
  watchSessions(liveKeys: () => Promise<ReadonlySet<string>>): void {
    let running = false;
    this.sessionCheck = setInterval(() => {
      if (running || ![...this.clients.values()].some((key) => key !== undefined)) return;
      running = true;
      liveKeys()
        .then((live) => {
          for (const [client, key] of this.clients)
            if (key !== undefined && !live.has(key)) this.drop(client);
        })
        .catch(() => undefined) // the store is down: streams stay until it answers again
        .finally(() => {
          running = false;
        });
    }, this.sessionCheckMs);
    this.sessionCheck.unref();
  }

  /** Ends the streams of one session (signed out, or found stale). */
  endSession(key: string): void {
    for (const [client, owner] of this.clients) if (owner === key) this.drop(client);
  }

  get size(): number {
    return this.clients.size;
  }

  add(
    response: ServerResponse,
    stream: { sessionKey?: string; headers?: Record<string, string> } = {},
  ): void {
    response.writeHead(200, {
      ...stream.headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    // Tell the browser how soon to reconnect after a restart of the service.
    response.write("retry: 2000\n\n");
    this.clients.set(response, stream.sessionKey);
    response.on("close", () => this.clients.delete(response));
  }

  send(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Ends every stream (on shutdown, so the server can close). */
  close(): void {
    clearInterval(this.heartbeat);
    clearInterval(this.sessionCheck);
    for (const client of this.clients.keys()) client.end();
    this.clients.clear();
  }

  private drop(client: ServerResponse): void {
    this.clients.delete(client);
    client.end();
  }

  private write(frame: string): void {
    for (const client of this.clients.keys()) {
      if (client.writableLength > this.maxBufferedBytes) {
        client.destroy();
        this.clients.delete(client);
        continue;
      }
      client.write(frame);
    }
  }
}
