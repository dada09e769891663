import { readFileSync } from "node:fs";
import type { ContactWarehouse } from "../src/emulator/cxone/data/contacts.ts";
import { contactRecord } from "../src/emulator/cxone/data/wire.ts";
import { resolveCxoneOptions } from "../src/emulator/cxone/options.ts";
import { CxoneState } from "../src/emulator/cxone/state.ts";
import type { CxoneFixtures } from "../src/emulator/index.ts";
import { startEmulatorProcess } from "./support/emulator-process.ts";
import type { BenchRow } from "./types.ts";

/**
 * The production-API emulator's `GET /contacts/completed`, which the outcome-export benchmark
 * on that platform must never be bound by: records per second over HTTP (top 10000, one skill,
 * 10 million lazily generated contacts, the emulator alone in its own process), against the
 * plain baseline of generating the same records in-process (no HTTP, no JSON). And its peak
 * RSS with 10 million contacts beside the same pages served from 100,000 (generation is lazy).
 * Target: >= 50,000 records/s; peak RSS within 1.5x.
 */
const TOTAL = 10_000_000;
const RECORDS = 300_000;
const TOP = 10_000;
const SMALL = 100_000;

function startChild(contacts: number) {
  return startEmulatorProcess([
    "--platform",
    "cxone",
    "--calls",
    String(contacts),
    "--knob",
    "warehouseLagS=0",
  ]);
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function baseline(): number {
  const state = new CxoneState(resolveCxoneOptions({ platform: "cxone", seed: 42, contacts: TOTAL }));
  const w: ContactWarehouse = state.warehouse;
  const skillId = w.skillIds[0] as number;
  const look = state.lookups();
  const run = () => {
    let count = 0;
    const started = performance.now();
    for (let skip = 0; count < RECORDS; skip += TOP) {
      const { positions } = w.query(
        {
          fromMs: null,
          toMs: null,
          endInclusive: false,
          dateField: "contactStartDate",
          skillIds: new Set([skillId]),
          agentId: null,
          mediaTypeId: null,
          updatedSinceMs: null,
          visibleUntilMs: Date.now(),
          descending: false,
        },
        skip,
        TOP,
      );
      for (const p of positions) contactRecord(w.facts(p), 33, look);
      count += positions.length;
    }
    return count / ((performance.now() - started) / 1000);
  };
  run(); // warm-up
  return run();
}

async function overHttp(url: string, records: number): Promise<number> {
  const f = (await (await fetch(`${url}/_emulator/fixtures`)).json()) as CxoneFixtures;
  const key = f.accessKeys[0] as CxoneFixtures["accessKeys"][number];
  const answer = await fetch(`${url}/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "password",
      username: key.accessKeyId,
      password: key.accessKeySecret,
      client_id: f.client.clientId,
      client_secret: f.client.clientSecret,
    }),
  });
  const { access_token: token } = (await answer.json()) as { access_token: string };
  const skillId = f.skills[0]?.skillId ?? 0;
  const run = async (wanted: number) => {
    const first = `${url}/inContactAPI/services/v33.0/contacts/completed?skillId=${skillId}&top=${TOP}`;
    let next = first;
    let count = 0;
    const started = performance.now();
    while (count < wanted) {
      const response = await fetch(next, {
        headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      });
      const body = (await response.json()) as {
        completedContacts: unknown[];
        _links: { next: string | null };
      };
      count += body.completedContacts.length;
      // A small warehouse is listed again from the start, so both runs serve the same pages.
      next = body._links.next ?? first;
    }
    return count / ((performance.now() - started) / 1000);
  };
  await run(Math.min(records, 50_000)); // warm-up
  return run(records);
}

export default async function emulatorCxoneBench(): Promise<BenchRow[]> {
  const raw = baseline();
  const big = await startChild(TOTAL);
  let http: number;
  let bigRss: number;
  try {
    http = await overHttp(big.url, RECORDS);
    bigRss = peakRssMb(big.child.pid as number);
  } finally {
    big.child.kill("SIGTERM");
  }
  const small = await startChild(SMALL);
  let smallRss: number;
  try {
    await overHttp(small.url, RECORDS);
    smallRss = peakRssMb(small.child.pid as number);
  } finally {
    small.child.kill("SIGTERM");
  }
  return [
    {
      suite: "emulator-cxone",
      metric: "contacts/completed over HTTP, top 10000, 10M contacts",
      unit: "records/s",
      ours: Math.round(http),
      baseline: Math.round(raw),
      baselineLabel: "same records generated in-process, no HTTP/JSON",
      target: ">= 50000",
      met: http >= 50_000,
    },
    {
      suite: "emulator-cxone",
      metric: "emulator peak RSS serving 300k records, 10M contacts",
      unit: "MB",
      ours: Math.round(bigRss),
      baseline: Math.round(smallRss),
      baselineLabel: "same pages from 100,000 contacts",
      target: "<= 1.5x baseline",
      met: bigRss <= 1.5 * smallRss,
    },
  ];
}
