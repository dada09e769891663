import { type ChildProcess, spawn } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";
import { type Receiver, startReceiver } from "./fixtures/receiver.ts";
import { tempDataDir } from "./fixtures/temp-dir.ts";

/**
 * kill -9 at random moments loses nothing: a child process journals operations (each emitting
 * two webhook events) and delivers them to a real receiver here, and is SIGKILLed again and
 * again; then it runs to completion. Every event must have arrived at least once, exactly the
 * right set once deduplicated by webhook id, each operation audited once, and the chain whole.
 */

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "crash-worker.ts");
const SECRET = `whsec_${Buffer.from("crash-test-secret-32-bytes-long!").toString("base64")}`;
const TOTAL = 600;
const KILLS = 10;

let data: ReturnType<typeof tempDataDir>;
let receiver: Receiver;

beforeAll(async () => {
  data = tempDataDir();
  // A receiver that also fails now and then, so retries are in flight when the kills land.
  receiver = await startReceiver({
    secret: SECRET,
    respond: () => ({ status: Math.random() < 0.1 ? 500 : 200 }),
  });
});

afterAll(async () => {
  await receiver.close();
  data.remove();
});

function spawnWorker(): {
  child: ChildProcess;
  ready: Promise<void>;
  exit: Promise<{ code: number | null; stdout: string }>;
} {
  const child = spawn(process.execPath, [WORKER, data.dir, receiver.url(""), SECRET, String(TOTAL)], {
    // Node's compile cache, as `cxo` enables it: each of the ten runs loads the store and outbox.
    env: { ...process.env, NODE_COMPILE_CACHE: path.join(tmpdir(), "node-compile-cache") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes("ready")) onReady();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<{ code: number | null; stdout: string }>((resolve) =>
    child.on("exit", (code) => {
      if (code !== null && code !== 0) process.stderr.write(stderr);
      resolve({ code, stdout });
    }),
  );
  return { child, ready, exit };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("crash safety", () => {
  it(`survives ${KILLS}+ SIGKILLs at random moments: every event delivered, none invented, audit intact`, async () => {
    let kills = 0;
    let runs = 0;
    // What each kill interrupted, read from the store between runs.
    let interruptedOperations = 0;
    let interruptedEvents = 0;
    while (kills < KILLS && runs < 40) {
      runs += 1;
      const { child, ready, exit } = spawnWorker();
      // Most kills land in the middle of the work; some during start-up (migrations, re-drive).
      const trigger =
        runs % 4 === 0 ? sleep(Math.random() * 250) : ready.then(() => sleep(30 + Math.random() * 170));
      const result = await Promise.race([
        exit.then(() => "exited" as const),
        trigger.then(() => "kill" as const),
      ]);
      if (result === "kill") {
        child.kill("SIGKILL");
        const { code } = await exit;
        if (code === null) kills += 1;
        const store = await openStore(data.dir);
        interruptedOperations += (await store.journal.counts()).pending;
        interruptedEvents += (await store.outbox.pendingSummary()).pending;
        await store.close();
      }
    }
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    // The kills landed while work was in progress (not only before or after it).
    expect(interruptedOperations + interruptedEvents).toBeGreaterThan(0);

    const { code, stdout } = await spawnWorker().exit;
    expect(code).toBe(0);
    expect(stdout).toContain("finished");

    const store = await openStore(data.dir);
    try {
      expect(await store.journal.counts()).toEqual({ pending: 0, done: TOTAL, failed: 0 });
      const verification = await store.audit.verify();
      expect(verification).toMatchObject({ ok: true, records: TOTAL, firstBrokenAt: null });
      const events = await store.outbox.list({ limit: 10 * TOTAL });
      expect(events).toHaveLength(2 * TOTAL);
      expect(events.every((e) => e.status === "delivered")).toBe(true);
      // One BI and one CRM event per operation: none lost, none duplicated by a re-drive.
      const perOperation = new Set(events.map((e) => `${e.destination}:${(e.data as { i: number }).i}`));
      expect(perOperation.size).toBe(2 * TOTAL);

      // The receiver got every event at least once and nothing else; deduplicated, the count is exact.
      const delivered = receiver.deliveredIds();
      expect(delivered.size).toBe(2 * TOTAL);
      expect(delivered).toEqual(new Set(events.map((e) => e.id)));
      expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    } finally {
      await store.close();
    }
    process.stderr.write(
      `crash-safety: ${runs} runs, ${kills} SIGKILLs, left behind ${interruptedOperations} pending operations and ${interruptedEvents} undelivered events; ${receiver.received.length} requests for ${2 * TOTAL} events\n`,
    );
  }, 120_000);
});
