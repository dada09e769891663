import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { InternalClient } from "../../src/client.ts";
import { ServerError } from "../../src/core/http/errors.ts";
import { metricsRegistry } from "../../src/core/metrics/index.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import type { RunningEmulator } from "../../src/emulator/index.ts";
import {
  ConflictRetriesExhaustedError,
  DispositionRuleError,
  InteractionMetrics,
  knownCodes,
  redriveStale,
  SET_DISPOSITION_KIND,
  setDisposition,
  setDispositionOperation,
} from "../../src/interactions/index.ts";
import type { InteractionsPort } from "../../src/platform/ports/interactions.ts";
import type { Interaction, InteractionDispositionEntry } from "../../src/platform/types.ts";
import {
  clearRequestLog,
  emulator,
  fault,
  interactionsWhere,
  type LossyProxy,
  lossyProxy,
  noSecondary,
  requestLog,
  sdkClient,
  tempDir,
} from "./helpers.ts";

/**
 * The SDK workflow in-process against the emulator, with faults: 5xx and resets (the emulator's
 * own fault injection), and PATCH answers lost AFTER the change was applied (a proxy), where
 * the retried PATCH meets a 409 and the re-read must find our change and stop.
 */
let emu: RunningEmulator;
let direct: InternalClient;
let data: ReturnType<typeof tempDir>;
let store: Store;
let pool: Interaction[];
const cleanups: Array<() => Promise<void>> = [];

const take = (): Interaction => {
  const next = pool.shift();
  if (!next) throw new Error("ran out of fixture interactions");
  return next;
};
const freePrimary = (i: Interaction, n: number) =>
  ["101", "102", "103", "104", "105", "106", "107", "108", "109", "110", "111", "112"]
    .filter((c) => !i.dispositions.some((d) => d.code === c))
    .slice(0, n);
const intent = (code: string) => ({
  code,
  description: `fix ${code}`,
  agentId: "agent-42",
  timestamp: "2026-01-02T10:00:00.123Z",
});
const fastPolicy = { backoffBaseMs: 5, backoffCapMs: 40 };

/** A client talking through a proxy that does `onPatch` to each PATCH. */
async function viaProxy(onPatch: Parameters<typeof lossyProxy>[1], http: Record<string, number> = {}) {
  const proxy: LossyProxy = await lossyProxy(emu.url, onPatch);
  const client = sdkClient(proxy.url, emu.fixtures, http);
  await knownCodes(client.port.interactions); // warm the code list
  cleanups.push(async () => {
    await client.close();
    await proxy.close();
  });
  return { proxy, client };
}

async function auditFor(id: string) {
  return (await store.audit.tail(1000)).filter(
    (r) => r.target === id && r.operation === SET_DISPOSITION_KIND,
  );
}

beforeAll(async () => {
  emu = await emulator();
  direct = sdkClient(emu.url, emu.fixtures);
  data = tempDir();
  store = await openStore(data.dir);
  pool = await interactionsWhere(direct, emu.fixtures, noSecondary);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await fetch(`${emu.url}/_emulator/faults`, { method: "DELETE" });
});

afterAll(async () => {
  await store.close();
  await direct.close();
  await emu.close();
  data.remove();
});

describe("setDisposition (SDK): concurrency in one process", () => {
  it("10 concurrent calls racing on one interaction: conflicts resolved, all 10 codes kept", async () => {
    const target = take();
    const codes = freePrimary(target, 10);
    const metrics = new InteractionMetrics();
    const results = await Promise.all(
      codes.map((code) =>
        setDisposition(
          { port: direct.port.interactions, store, metrics, policy: fastPolicy },
          target.id,
          intent(code),
        ),
      ),
    );
    const final = (await direct.port.interactions.get(target.id)).interaction.dispositions.map((d) => d.code);
    for (const code of [...codes, ...target.dispositions.map((d) => d.code)]) expect(final).toContain(code);
    // How many reads overlap depends on the limiter's scheduling; at least one must have.
    const conflicts = results.reduce((n, r) => n + r.conflicts, 0);
    expect(conflicts).toBeGreaterThanOrEqual(1);
    expect(metrics.snapshot()).toMatchObject({ successes: 10, failures: 0, errorRate: 0 });
    expect(metrics.snapshot().conflicts).toBe(conflicts);
    expect(await auditFor(target.id)).toHaveLength(10);
  });
});

describe("setDisposition (SDK): the entry's timestamp", () => {
  it("a Date is sent as its ISO text; text as before, RFC 3339 of the same wall time and offset", async () => {
    const target = take();
    const [byDate, byText] = freePrimary(target, 2) as [string, string];
    const when = new Date("2026-01-02T10:00:00.123Z");
    const deps = { port: direct.port.interactions, store, policy: fastPolicy };
    await setDisposition(deps, target.id, { ...intent(byDate), timestamp: when });
    await setDisposition(deps, target.id, { ...intent(byText), timestamp: "2026-01-02T05:00:00-0500" });
    const entries = (await direct.port.interactions.get(target.id)).interaction.dispositions;
    expect(entries.find((d) => d.code === byDate)?.timestamp).toBe("2026-01-02T10:00:00.123Z");
    expect(entries.find((d) => d.code === byText)?.timestamp).toBe("2026-01-02T05:00:00-05:00");
  });
});

describe("setDisposition (SDK): faults on PATCH", () => {
  it("a PATCH applied whose answer is lost: the retry meets 409, the re-read finds our entry and stops", async () => {
    const target = take();
    const [code] = freePrimary(target, 1) as [string];
    const { proxy, client } = await viaProxy((n) => (n === 1 ? "forward-then-reset" : "forward"));
    await clearRequestLog(emu.url);
    const result = await setDisposition(
      { port: client.port.interactions, store, policy: fastPolicy },
      target.id,
      intent(code),
    );
    expect(result.outcome).toBe("confirmed");
    const patches = (await requestLog(emu.url)).filter((r) => r.method === "PATCH").map((r) => r.status);
    expect(patches).toEqual([200, 409]); // applied once; the core's retry was refused by If-Match
    expect(proxy.patches).toBe(2);
    const now = await direct.port.interactions.get(target.id);
    expect(now.interaction.dispositions.filter((d) => d.code === code)).toHaveLength(1);
    expect(now.interaction.dispositions.map((d) => d.code)).toEqual([
      ...target.dispositions.map((d) => d.code),
      code,
    ]);
    expect(result.afterEtag).toBe(now.etag);
    const [record] = await auditFor(target.id);
    expect(record).toMatchObject({ outcome: "done", after: { etag: now.etag } });
    expect(record?.details).toMatchObject({ outcome: "confirmed" });
  });

  it("PATCH answers lost until the core gives up: the loop re-reads, sees the change and reports success", async () => {
    const target = take();
    const [code] = freePrimary(target, 1) as [string];
    const { client } = await viaProxy((n) => (n === 1 ? "forward-then-reset" : "reset"), { maxAttempts: 2 });
    const result = await setDisposition(
      { port: client.port.interactions, store, policy: fastPolicy },
      target.id,
      intent(code),
    );
    expect(result.outcome).toBe("confirmed");
    const patches = (await requestLog(emu.url)).filter(
      (r) => r.method === "PATCH" && r.path.endsWith(target.id),
    );
    expect(patches.map((r) => r.status)).toEqual([200]);
  });

  it("503s on PATCH before it reaches CXone are retried; the change lands once", async () => {
    const target = take();
    const [code] = freePrimary(target, 1) as [string];
    const { client } = await viaProxy((n) => (n <= 2 ? "503" : "forward"));
    const result = await setDisposition(
      { port: client.port.interactions, store, policy: fastPolicy },
      target.id,
      intent(code),
    );
    expect(result.outcome).toBe("updated");
    const final = (await direct.port.interactions.get(target.id)).interaction.dispositions;
    expect(final.filter((d) => d.code === code)).toHaveLength(1);
  });

  it("a PATCH that keeps failing ends in a failed audit record and the state is untouched", async () => {
    const target = take();
    const [code] = freePrimary(target, 1) as [string];
    const { client } = await viaProxy(() => "503", { maxAttempts: 2 });
    const metrics = new InteractionMetrics();
    const error = await setDisposition(
      { port: client.port.interactions, store, metrics, policy: { ...fastPolicy, maxAttempts: 2 } },
      target.id,
      intent(code),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    const final = (await direct.port.interactions.get(target.id)).interaction.dispositions;
    expect(final).toEqual(target.dispositions);
    const [record] = await auditFor(target.id);
    expect(record?.outcome).toBe("failed");
    expect(metrics.snapshot()).toMatchObject({ failures: 1, successes: 0, errorRate: 1 });
    expect(metrics.snapshot().apiErrors).toBeGreaterThanOrEqual(2);
  });

  it("the emulator's injected 5xx and resets on the interactions group: every change lands, none lost", async () => {
    const target = take();
    const codes = freePrimary(target, 5);
    const client = sdkClient(emu.url, emu.fixtures, { maxAttempts: 10 });
    cleanups.push(() => client.close());
    await knownCodes(client.port.interactions);
    await fault(emu.url, { group: "interactions", errorRate: 0.25, errorStatus: 503, resetRate: 0.15 });
    const results = await Promise.all(
      codes.map((code) =>
        setDisposition(
          { port: client.port.interactions, store, policy: fastPolicy },
          target.id,
          intent(code),
        ),
      ),
    );
    expect(results.every((r) => r.outcome === "updated" || r.outcome === "confirmed")).toBe(true);
    await fetch(`${emu.url}/_emulator/faults`, { method: "DELETE" });
    const final = (await direct.port.interactions.get(target.id)).interaction.dispositions.map((d) => d.code);
    for (const code of codes) expect(final.filter((c) => c === code)).toHaveLength(1);
    const statuses = (await requestLog(emu.url)).map((r) => r.status);
    expect(statuses.some((s) => s === 503 || s === 0)).toBe(true);
  });
});

describe("setDisposition (SDK): crash between the PATCH and the bookkeeping", () => {
  it("the pending row is re-driven: re-read finds the change, one done record, one event", async () => {
    const target = take();
    const [code] = freePrimary(target, 1) as [string];
    const metrics = new InteractionMetrics();
    const real = setDispositionOperation(direct.port.interactions, metrics);
    const crashing = {
      ...real,
      finish: () => {
        throw new Error("simulated crash before the journal commit");
      },
    };
    const { etag, interaction } = await direct.port.interactions.get(target.id);
    await store.journal
      .run(crashing, {
        target: target.id,
        payload: {
          interactionId: target.id,
          intended: intent(code),
          baseEtag: etag,
          baseDispositions: interaction.dispositions,
        },
      })
      .catch(() => undefined);
    expect((await store.journal.pending()).filter((e) => e.target === target.id)).toHaveLength(1);
    // The change is on CXone already.
    expect(
      (await direct.port.interactions.get(target.id)).interaction.dispositions.map((d) => d.code),
    ).toContain(code);

    expect(await redriveStale(store, direct.port.interactions, metrics, 60_000)).toBeNull(); // too fresh
    const report = await redriveStale(store, direct.port.interactions, metrics, 0);
    expect(report).toMatchObject({ redriven: 1, done: 1, failed: 0 });
    const records = await auditFor(target.id);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: "done" });
    expect(records[0]?.details as { outcome: string; redriven: boolean }).toMatchObject({
      outcome: "confirmed",
      redriven: true,
    });
    const final = (await direct.port.interactions.get(target.id)).interaction.dispositions;
    expect(final.filter((d) => d.code === code)).toHaveLength(1);
  });
});

/** A port whose every PATCH is preceded by another writer's edit (through `direct`). */
function racedPort(edit: (n: number) => InteractionDispositionEntry): InteractionsPort {
  let n = 0;
  return {
    get: (id) => direct.port.interactions.get(id),
    listDispositionCodes: () => direct.port.interactions.listDispositionCodes(),
    async replaceDispositions(id, dispositions, ifMatch, options) {
      const { etag, interaction } = await direct.port.interactions.get(id);
      await direct.port.interactions.replaceDispositions(id, [...interaction.dispositions, edit(++n)], etag);
      return direct.port.interactions.replaceDispositions(id, dispositions, ifMatch, options);
    },
  };
}

describe("setDisposition (SDK): a writer that always wins the race", () => {
  it("gives up after the bound with ConflictRetriesExhaustedError; every other edit survives", async () => {
    const target = take();
    const free = freePrimary(target, 5);
    const [ours, ...theirs] = free as [string, ...string[]];
    const port = racedPort((n) => ({
      code: theirs[n - 1] as string,
      description: `theirs ${n}`,
      agentId: "agent-x",
      timestamp: "2026-01-02T09:00:00Z",
    }));
    const error = await setDisposition(
      { port, store, policy: { ...fastPolicy, maxAttempts: 3 } },
      target.id,
      intent(ours),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictRetriesExhaustedError);
    const final = (await direct.port.interactions.get(target.id)).interaction.dispositions.map((d) => d.code);
    expect(final).toEqual([...target.dispositions.map((d) => d.code), ...theirs.slice(0, 3)]);
    expect(final).not.toContain(ours);
    const [record] = await auditFor(target.id);
    expect(record).toMatchObject({ outcome: "failed", status: 409 });
  });

  it("a concurrent 2xx makes the merge non-compliant: stops as bad input without writing", async () => {
    const target = take();
    const [ours] = freePrimary(target, 1) as [string];
    const metrics = new InteractionMetrics();
    const port = racedPort(() => ({
      code: "205",
      description: "Voicemail Left",
      agentId: "agent-x",
      timestamp: "2026-01-02T09:00:00Z",
    }));
    // Only a 2xx-free interaction can take the 2xx edit: clear its 1xx entries first.
    const { etag } = await direct.port.interactions.get(target.id);
    await direct.port.interactions.replaceDispositions(target.id, [], etag);
    const error = await setDisposition(
      { port, store, metrics, policy: fastPolicy },
      target.id,
      intent(ours),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DispositionRuleError);
    const final = (await direct.port.interactions.get(target.id)).interaction.dispositions.map((d) => d.code);
    expect(final).toEqual(["205"]);
    expect(metrics.snapshot()).toMatchObject({ validationErrors: 1, conflicts: 1 });
  });

  it("exposes the interaction metrics in the Prometheus registry", async () => {
    const text = await metricsRegistry.metrics();
    for (const name of [
      "cxo_interactions_set_disposition_duration_ms_bucket",
      "cxo_interactions_validation_errors_total",
      "cxo_interactions_api_errors_total",
      "cxo_interactions_conflicts_total",
      "cxo_interactions_successes_total",
      "cxo_interactions_error_rate",
    ])
      expect(text).toContain(name);
  });
});
