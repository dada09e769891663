import { createServer } from "node:http";

/**
 * A minimal local API for benchmarks, run in its own process so its work does not share our
 * event loop: a token endpoint and a JSON answer for everything else. Prints its port.
 */
const body = JSON.stringify({
  id: "call-1",
  campaignId: "camp-1",
  dispositionCode: "CONVERTED",
  tags: ["a", "b"],
});
const token = JSON.stringify({ access_token: "bench-token-abcdef", expires_in: 3600, token_type: "Bearer" });

const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(request.url?.endsWith("/oauth/token") ? token : body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${typeof address === "object" && address ? address.port : 0}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
