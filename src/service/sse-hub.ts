import type { ServerResponse } from "node:http";

/**
 * Server-sent events to every open dashboard. Each client gets `event: <name>` + one JSON data
 * line; a comment line every `heartbeatMs` keeps proxies from closing an idle stream. A slow
 * client whose socket buffer is full is dropped rather than buffered without bound.
 */
export class SseHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly maxBufferedBytes: number;

  constructor(options: { heartbeatMs?: number; maxBufferedBytes?: number } = {}) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1 << 20;
    this.heartbeat = setInterval(() => this.write(": keep-alive\n\n"), options.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  add(response: ServerResponse): void {
    response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    // Tell the browser how soon to reconnect after a restart of the service.
    response.write("retry: 2000\n\n");
    this.clients.add(response);
    response.on("close", () => this.clients.delete(response));
  }

  send(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Ends every stream (on shutdown, so the server can close). */
  close(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private write(frame: string): void {
    for (const client of this.clients) {
      if (client.writableLength > this.maxBufferedBytes) {
        client.destroy();
        this.clients.delete(client);
        continue;
      }
      client.write(frame);
    }
  }
}
