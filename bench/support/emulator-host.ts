// A process hosting several production-API emulators, each its own server on its own port, with
// its own seed (so its own tenant, keys and ids): `node emulator-host.ts COUNT FIRST_SEED`.
// Prints one JSON line `{"urls": [...]}` once all listen; runs until SIGTERM. The capacity bench
// gives each business unit its own emulator without paying a process per unit.
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";

const [count, firstSeed] = process.argv.slice(2).map(Number) as [number, number];
const emulators: RunningCxoneEmulator[] = [];
for (let i = 0; i < count; i++)
  emulators.push(await startEmulator({ platform: "cxone", port: 0, seed: firstSeed + i, contacts: 2000 }));
process.stdout.write(`${JSON.stringify({ urls: emulators.map((e) => e.url) })}\n`);
process.once("SIGTERM", () => {
  void Promise.all(emulators.map((e) => e.close())).then(() => process.exit(0));
});
