import { silentLogger } from "../../src/core/logging/index.ts";
import { openStore } from "../../src/core/store/index.ts";
import { Leadership } from "../../src/service/leadership.ts";

/**
 * One `cxo serve` instance as far as leader election goes (argv: data dir, PostgreSQL URL or
 * "-", lease ms): the service's Leadership with its default renewal (a third of the lease).
 * Prints `ready` once it has tried for the lease, and `lead <epoch ms> <how>` when it leads.
 */
const [dataDir, url, leaseMs] = process.argv.slice(2) as [string, string, string];
const store = await openStore(url === "-" ? dataDir : { dataDir, store: { url } });
const leadership = new Leadership({
  store,
  logger: silentLogger,
  ttlMs: Number(leaseMs),
  lead: (_fenced, lease) => {
    process.stdout.write(`lead ${Date.now()} ${lease.takenFrom?.how ?? "first"}\n`);
    return async () => {};
  },
});
await leadership.start();
process.stdout.write("ready\n");
const stop = () => void leadership.stop().then(() => store.close().then(() => process.exit(0)));
process.on("SIGTERM", stop);
setInterval(() => {}, 60_000);
