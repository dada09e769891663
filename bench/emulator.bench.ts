import { CallStore } from "../src/emulator/data/calls.ts";
import { buildWorld } from "../src/emulator/data/world.ts";
import type { Fixtures } from "../src/emulator/index.ts";
import { startEmulatorProcess } from "./support/emulator-process.ts";
import type { BenchRow } from "./types.ts";

/**
 * The emulator's outcome listing (seed 004), which client benchmarks must never be bound by:
 * records per second over HTTP (`GET /api/v2/outbound/calls`, limit 5000, one campaign, 10
 * million lazily generated calls), the emulator running alone in its own process (one core),
 * against the plain baseline of generating the same records in-process with no HTTP and no JSON.
 * Target: >= 50,000 records/s.
 */
const TOTAL_CALLS = 10_000_000;
const RECORDS = 300_000;
const LIMIT = 5000;
const DAY = 86_400_000;

function startChild() {
  return startEmulatorProcess(["--calls", String(TOTAL_CALLS), "--rate-limit-scale", "1000000"]);
}

function baseline(): number {
  const now = Date.now();
  const world = buildWorld(42, now);
  const store = new CallStore({
    seed: 42,
    total: TOTAL_CALLS,
    windowStartMs: now - 90 * DAY,
    spanMs: 90 * DAY,
    campaigns: world.campaigns.map((c) => {
      const list = world.contactLists.find((l) => l.id === c.contactListId);
      return {
        id: c.id,
        listIndex: list?.listIndex ?? 0,
        listSize: list?.size ?? 1,
        codes: c.dispositionCodes,
      };
    }),
  });
  const run = () => {
    let cursor: number | null = null;
    let count = 0;
    const started = performance.now();
    while (count < RECORDS) {
      const page = store.page({
        slot: 0,
        fromMs: now - 89 * DAY,
        toMs: now,
        codes: null,
        limit: LIMIT,
        cursor,
      });
      count += page.records.length;
      cursor = page.next;
      if (cursor === null) break;
    }
    return count / ((performance.now() - started) / 1000);
  };
  run(); // warm-up
  return run();
}

async function overHttp(url: string): Promise<number> {
  const form = (await (await fetch(`${url}/_emulator/fixtures`)).json()) as Fixtures;
  const client = form.clients[0] as Fixtures["clients"][number];
  const tokenAnswer = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }),
  });
  const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
  const campaign = form.campaigns[0]?.id ?? "";
  const window = {
    campaignId: campaign,
    startDateTime: new Date(Date.now() - 89 * DAY).toISOString(),
    endDateTime: new Date().toISOString(),
    limit: String(LIMIT),
  };
  const run = async (records: number) => {
    let next: string | null = null;
    let count = 0;
    const started = performance.now();
    while (count < records) {
      const query = new URLSearchParams(window);
      if (next) query.set("nextPageToken", next);
      const response = await fetch(`${url}/api/v2/outbound/calls?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await response.json()) as { calls: unknown[]; nextPageToken: string | null };
      count += body.calls.length;
      next = body.nextPageToken;
      if (!next) break;
    }
    return count / ((performance.now() - started) / 1000);
  };
  await run(50_000); // warm-up
  return run(RECORDS);
}

export default async function emulatorBench(): Promise<BenchRow[]> {
  const raw = baseline();
  const { url, child } = await startChild();
  try {
    const http = await overHttp(url);
    return [
      {
        suite: "emulator",
        metric: "outcome listing over HTTP, limit 5000",
        unit: "records/s",
        ours: Math.round(http),
        baseline: Math.round(raw),
        baselineLabel: "same records generated in-process, no HTTP/JSON",
        target: ">= 50000",
        met: http >= 50_000,
      },
    ];
  } finally {
    child.kill("SIGTERM");
  }
}
