import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importIn } from "../../src/compliance/revocation-intake.ts";
import type { ConsentBook } from "../../src/consent/book.ts";
import { ledgerEntries, recordRevocations } from "../../src/consent/ledger.ts";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { type RunningCxoneEmulator, type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { startService } from "../../src/service/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 100, High 2: `consent import` read its file once per business unit, so a file replaced
 * while a scope-`all` import ran left the seller's units holding different revocations (exit 0),
 * and nothing repaired it. Now the file is read once — every pass reads one private copy — and
 * `consent honour` gives every unit of the seller the scope-`all` revocations another holds.
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-import-once-"));
const file = (name: string) => path.join(dir, name);
let clock: ReturnType<typeof pinClock>;

const rows = (phones: readonly string[]) =>
  `phone,at,channel,scope\n${phones.map((p) => `${p},2026-12-01T09:00:00-05:00,mail,all`).join("\n")}\n`;
const FIRST = ["+12125550301", "+12125550302", "+12125550303"];
const SECOND = ["+12125550401", "+12125550402", "+12125550403"];

const phonesOf = async (store: Store) =>
  (await ledgerEntries(store, 0, Date.now() + 1)).map((e) => e.phone).sort();

beforeAll(() => {
  clock = pinClock("2026-12-02T14:00:00Z");
});
afterAll(() => clock?.restore());

describe("the file is read once (SDK)", () => {
  it("a file replaced between two units: both hold what the check read, the same set", async () => {
    const acme = await openStore(file("acme"));
    const globex = await openStore(file("globex"));
    const csv = file("letters.csv");
    writeFileSync(csv, rows(FIRST));
    // The file is replaced (an exporter renaming its new output into place) once acme has
    // recorded and globex is about to: the moment the old code read the file again.
    let replaced = false;
    const peer: ConsentBook = {
      tenant: "globex",
      actor: "test",
      cxoneDncGroup: undefined,
      store: async () => {
        if (!replaced && (await phonesOf(acme)).length > 0) {
          writeFileSync(file("next.csv"), rows(SECOND));
          renameSync(file("next.csv"), csv);
          replaced = true;
        }
        return globex;
      },
    };
    const book: ConsentBook = {
      tenant: "acme",
      actor: "test",
      cxoneDncGroup: undefined,
      store: async () => acme,
      peers: async () => [peer],
    };
    const result = await importIn(book, { file: csv }, undefined);
    expect(replaced).toBe(true);
    expect(result.tenants?.map((t) => [t.tenant, t.holds, t.added])).toEqual([
      ["acme", true, 3],
      ["globex", true, 3],
    ]);
    expect(await phonesOf(acme)).toEqual(FIRST);
    expect(await phonesOf(globex)).toEqual(FIRST);
    await acme.close();
    await globex.close();
  });
});

describe("every unit of the seller holds the same scope-all set (CLI, production emulators)", () => {
  let acmeEmu: RunningCxoneEmulator;
  let globexEmu: RunningCxoneEmulator;
  const env: Record<string, string> = {};
  const cxoneBlock = (emu: RunningCxoneEmulator, secretEnv: string) => {
    const key = emu.fixtures.accessKeys.find((k) => !k.readOnly)!;
    return `{ platform: cxone, issuer: "${emu.url}", accessKeyUrl: "${emu.url}/authentication/v1/token/access-key", accessKeyId: "${key.accessKeyId}", accessKeySecret: { env: ${secretEnv} } }`;
  };
  const storeOf = (tenant: string) => openStore(path.join(dir, ".cxo", "tenants", tenant));
  const cxo = (args: string[]) => runCli(["--json", ...args], { ...env, ...cliClockEnv() }, { cwd: dir });

  beforeAll(async () => {
    const start = (seed: number) =>
      startEmulator({
        platform: "cxone",
        port: 0,
        seed,
        contacts: 10,
        days: 1,
      }) as Promise<RunningCxoneEmulator>;
    [acmeEmu, globexEmu] = await Promise.all([start(100), start(101)]);
    env.A_KEY = acmeEmu.fixtures.accessKeys.find((k) => !k.readOnly)!.accessKeySecret;
    env.B_KEY = globexEmu.fixtures.accessKeys.find((k) => !k.readOnly)!.accessKeySecret;
    writeFileSync(
      path.join(dir, "cxo.config.yaml"),
      `dataDir: ${path.join(dir, ".cxo")}
tenants:
  acme:
    cxone: ${cxoneBlock(acmeEmu, "A_KEY")}
    consent: { seller: credco, cxoneDncGroup: "${acmeEmu.fixtures.dncGroups[0]!.dncGroupId}" }
  globex:
    cxone: ${cxoneBlock(globexEmu, "B_KEY")}
    consent: { seller: credco, cxoneDncGroup: "${globexEmu.fixtures.dncGroups[0]!.dncGroupId}" }
`,
    );
  });
  afterAll(async () => {
    await Promise.all([acmeEmu?.close(), globexEmu?.close()]);
  });

  it("an import names both units holding the file's rows; consent honour gives a unit the scope-all revocations another holds", async () => {
    writeFileSync(file("all.csv"), rows(FIRST));
    const imported = await cxo(["--tenant", "acme", "consent", "import", "--file", file("all.csv")]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(
      JSON.parse(imported.stdout).tenants.map((t: { tenant: string; holds: boolean }) => [t.tenant, t.holds]),
    ).toEqual([
      ["acme", true],
      ["globex", true],
    ]);

    // Units that diverged without a journal to finish (what the old import left): globex holds
    // two scope-all revocations acme lacks.
    {
      const globex = await storeOf("globex");
      await recordRevocations(
        globex,
        SECOND.slice(0, 2).map((phone) => ({
          phone,
          receivedAt: "2026-12-01T14:00:00.000Z",
          channel: "mail" as const,
          scope: { kind: "all" as const },
          source: "an earlier import",
        })),
        { actor: "test" },
      );
      await globex.close();
    }
    const report = await cxo(["--tenant", "globex", "consent", "report", "--from", "2026-11-30T00:00:00Z"]);
    expect(JSON.parse(report.stdout).incomplete).toBe(2);

    const before = await adminCall(acmeEmu.url, "GET", "/requests");
    const honour = await cxo(["--tenant", "acme", "consent", "honour"]);
    expect(honour.code, honour.stderr).toBe(0);
    const summary = JSON.parse(honour.stdout);
    expect(summary.fanOuts.repaired).toEqual([{ tenant: "acme", added: 2, from: ["globex"] }]);
    const acme = await storeOf("acme");
    expect(await phonesOf(acme)).toEqual([...FIRST, ...SECOND.slice(0, 2)].sort());
    await acme.close();
    // And acme's CXone group got them, in the same run.
    const after = (await adminCall(acmeEmu.url, "GET", "/requests")) as { requests: unknown[] };
    expect(after.requests.length).toBeGreaterThan((before as { requests: unknown[] }).requests.length);
    const group = (await adminCall(
      acmeEmu.url,
      "GET",
      `/dnc-groups/${acmeEmu.fixtures.dncGroups[0]!.dncGroupId}`,
    )) as { records: Array<{ phone: string }> };
    for (const phone of SECOND.slice(0, 2))
      expect(group.records.map((r) => r.phone.replace(/\D/g, "").slice(-10))).toContain(phone.slice(-10));

    const human = await runCli(
      ["--tenant", "acme", "consent", "honour"],
      { ...env, ...cliClockEnv() },
      { cwd: dir },
    );
    expect(human.code, human.stderr).toBe(0);
    const again = await cxo(["--tenant", "globex", "consent", "report", "--from", "2026-11-30T00:00:00Z"]);
    expect(JSON.parse(again.stdout).incomplete).toBe(0);
  });
});

describe("cxo serve's start evens each seller's units, never across sellers", () => {
  it("acme and globex (credco) end holding each other's scope-all entries; initech (another seller) keeps its own", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "cxo-even-at-start-"));
    const hookEmu: RunningEmulator = await startEmulator({ port: 0, calls: 10, metricsIntervalMs: 0 });
    const held: Record<string, string> = {
      acme: "+12125550501",
      globex: "+12125550502",
      initech: "+12125550503",
    };
    for (const [name, phone] of Object.entries(held)) {
      const store = await openStore(path.join(root, "tenants", name));
      await recordRevocations(
        store,
        [
          {
            phone,
            receivedAt: "2026-12-01T14:00:00.000Z",
            channel: "mail",
            scope: { kind: "all" },
            source: null,
          },
        ],
        { actor: "test" },
      );
      await store.close();
    }
    const settingsOf = (name: string, index: number, seller: string) =>
      settingsSchema.parse({
        tenant: name,
        cxone: {
          baseUrl: hookEmu.url,
          clientId: hookEmu.fixtures.clients[index]!.clientId,
          clientSecret: hookEmu.fixtures.clients[index]!.clientSecret,
        },
        dataDir: path.join(root, "tenants", name),
        consent: { seller },
        service: { port: 0, pollIntervalSeconds: 3600 },
      });
    const svc = await startService({
      settings: settingsSchema.parse({ dataDir: root, service: { port: 0, passwordHashCost: 4 } }),
      tenants: [
        { name: "acme", settings: settingsOf("acme", 0, "credco") },
        { name: "globex", settings: settingsOf("globex", 1, "credco") },
        { name: "initech", settings: settingsOf("initech", 2, "initech") },
      ],
    });
    try {
      const phones = (name: string) => phonesOf(svc.tenants.get(name)!.store);
      expect(await phones("acme")).toEqual([held.acme, held.globex]);
      expect(await phones("globex")).toEqual([held.acme, held.globex]);
      expect(await phones("initech")).toEqual([held.initech]);
    } finally {
      await svc.close();
      await hookEmu.close();
    }
  }, 60_000);
});
