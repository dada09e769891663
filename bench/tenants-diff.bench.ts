import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { type CreateClientOptions, createTenants } from "../src/index.ts";
import { startEmulatorProcess } from "./support/emulator-process.ts";
import type { BenchRow } from "./types.ts";

/**
 * `cxo tenants diff` at size (issue 54 §3: 2 × 1,000 objects in < 60 s against the emulators).
 * Two seed business units, each on its own emulator process, each with CAMPAIGNS campaigns created
 * through the SDK (so each store lists them); every campaign is two objects (its definition with
 * its calling rules, and its disposition matrix) and each unit's one dialer a third kind. A tenth
 * of the campaigns get another calling window on one side: the diff must find exactly those.
 * Reads run within each unit's own budget (raised here, as a tenant with a higher CXone limit would).
 */
const CAMPAIGNS = 500;
const CHANGED_EVERY = 10;

async function emulator(): Promise<{
  url: string;
  child: ChildProcess;
  clientId: string;
  clientSecret: string;
}> {
  const { url, child } = await startEmulatorProcess([
    "--rate-limit-scale",
    "1000",
    "--calls",
    "10",
    "--seed",
    "42",
  ]);
  const fixtures = (await (await fetch(`${url}/_emulator/fixtures`)).json()) as {
    clients: Array<{ clientId: string; clientSecret: string }>;
    contactLists: Array<{ id: string }>;
  };
  return { url, child, ...fixtures.clients[0]!, contactListId: fixtures.contactLists[0]!.id } as never;
}

const FAST = { limit: 2000, per: "second" } as const;

export default async function tenantsDiffBench(): Promise<BenchRow[]> {
  const [a, b] = await Promise.all([emulator(), emulator()]);
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-bench-diff-"));
  const optionsOf = (emu: typeof a, name: string): CreateClientOptions => ({
    connection: {
      platform: "seed",
      baseUrl: emu.url,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
    },
    dataDir: path.join(dir, name),
    rateLimits: { campaigns: FAST, dispositions: FAST, dialer: FAST, default: FAST },
  });
  const tenants = createTenants({ acme: optionsOf(a, "acme"), globex: optionsOf(b, "globex") });
  try {
    const { parse } = await import("yaml");
    const { readFileSync } = await import("node:fs");
    const spec = parse(readFileSync(new URL("../examples/campaign.yaml", import.meta.url), "utf8"));
    const create = async (tenant: string, emu: typeof a, i: number, late: boolean) =>
      tenants.get(tenant).campaigns.create({
        spec: {
          ...spec,
          name: `Campaign ${String(i).padStart(4, "0")}`,
          compliance: { ...spec.compliance, window: { start: "08:00", end: late ? "20:00" : "21:00" } },
        },
        contactListId: (emu as unknown as { contactListId: string }).contactListId,
      });
    for (let i = 0; i < CAMPAIGNS; i += 20)
      await Promise.all(
        Array.from({ length: Math.min(20, CAMPAIGNS - i) }, (_, k) =>
          Promise.all([
            create("acme", a, i + k, false),
            create("globex", b, i + k, (i + k) % CHANGED_EVERY === 0),
          ]),
        ),
      );
    const load = loadavg()[0]!.toFixed(1);
    const began = performance.now();
    const diff = await tenants.diff("acme", "globex");
    const seconds = (performance.now() - began) / 1000;
    const found = new Set(diff.differences.filter((d) => d.part === "definition").map((d) => d.campaign))
      .size;
    const suite = `tenants diff (load ${load})`;
    return [
      {
        suite,
        metric: `compare 2 × ${diff.objects.a} objects (${CAMPAIGNS} campaigns a side), two emulators`,
        unit: "s",
        ours: seconds,
        target: "< 60 s",
        met: seconds < 60 && diff.objects.a >= 1000,
      },
      {
        suite,
        metric: "campaigns found different, of those changed",
        unit: "campaigns",
        ours: found,
        baseline: CAMPAIGNS / CHANGED_EVERY,
        baselineLabel: "changed",
        target: "all, and no other",
        met: found === CAMPAIGNS / CHANGED_EVERY,
      },
    ];
  } finally {
    await tenants.close();
    a.child.kill("SIGTERM");
    b.child.kill("SIGTERM");
  }
}
