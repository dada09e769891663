import { createServer, type IncomingMessage, type Server } from "node:http";
import { verifyWebhook, WebhookVerificationError } from "../core/outbox/index.ts";

/**
 * The demo's stand-in for the BI, CRM and WFM systems: a real HTTP server on loopback that
 * accepts `POST /<destination>`, checks each delivery's Standard Webhooks signature with that
 * destination's secret (401 when it does not match), and keeps what arrived so the demo can
 * show it — including proof that no CXone credential travelled with it.
 */
export interface ReceivedWebhook {
  destination: string;
  id: string;
  type: string | undefined;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  rejected: number;
  /** Deliveries to one destination (duplicates by webhook-id counted once). */
  deliveredTo(destination: string): ReceivedWebhook[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startWebhookReceiver(secrets: Record<string, string>): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const state = { rejected: 0 };
  const server: Server = createServer(async (request, response) => {
    const destination = (request.url ?? "/").split("?")[0]!.replace(/^\//, "");
    const secret = secrets[destination];
    const text = await readBody(request);
    if (request.method !== "POST" || !secret) {
      response.writeHead(404).end();
      return;
    }
    try {
      const { id } = verifyWebhook(secret, request.headers, text);
      const body = JSON.parse(text) as { type?: string };
      received.push({ destination, id, type: body.type, body, headers: request.headers });
      response.writeHead(204).end();
    } catch (error) {
      if (!(error instanceof WebhookVerificationError) && !(error instanceof SyntaxError)) throw error;
      state.rejected += 1;
      response.writeHead(401).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    get rejected() {
      return state.rejected;
    },
    deliveredTo(destination) {
      const seen = new Set<string>();
      return received.filter((hook) => {
        if (hook.destination !== destination || seen.has(hook.id)) return false;
        seen.add(hook.id);
        return true;
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
