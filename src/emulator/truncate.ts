import { Readable } from "node:stream";
import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * A truncated answer (the `truncateRate` fault of both emulators): the full Content-Length and
 * half the body, then the connection is closed, as when a proxy or the network drops a
 * response midway. Clients must retry the request and not keep the partial body. Returns the
 * payload to send instead, or null when this answer cannot be cut (not 2xx, not a buffer).
 */
export function truncatedPayload(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Readable | null {
  if (reply.statusCode >= 300) return null;
  if (typeof payload !== "string" && !Buffer.isBuffer(payload)) return null;
  const bytes = Buffer.from(payload);
  const socket = request.raw.socket;
  reply.header("content-length", String(bytes.length));
  return Readable.from(
    (async function* () {
      yield bytes.subarray(0, Math.floor(bytes.length / 2));
      socket.end(); // flushes what was written, then closes: the client sees a short body
    })(),
  );
}
