import { createInterface } from "node:readline";
import { createDispatcher } from "../../src/core/outbox/index.ts";
import { openStore } from "../../src/core/store/index.ts";

/**
 * One "instance" for the outbox bench: opens the store (argv: data dir, PostgreSQL URL or "-",
 * receiver URL), says `ready`, waits for `go` on stdin, delivers until nothing is pending, then
 * prints `{"delivered":N}`. Several of these on one PostgreSQL store dispatch it together.
 */
const [dataDir, url, receiver] = process.argv.slice(2) as [string, string, string];
const store = await openStore(url === "-" ? dataDir : { dataDir, store: { url } });
const secret = `whsec_${Buffer.from("bench-secret-32-bytes-long-!!!!!").toString("base64")}`;
const dispatcher = createDispatcher(store.outbox, {
  destinations: { bi: { url: receiver, secret, headers: {}, maxAttempts: 12 } },
  concurrency: 16,
  pollIntervalMs: 20,
});
process.stdout.write("ready\n");
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line === "go") break;
const report = await dispatcher.drain({ timeoutMs: 120_000 });
await dispatcher.stop();
await store.close();
process.stdout.write(`${JSON.stringify({ delivered: report.delivered })}\n`);
process.exit(0);
