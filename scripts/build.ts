// `npm run build`: dist/ from src/ — JavaScript, declarations and source maps by tsc
// (tsconfig.build.json), then the files the code reads at run time next to it (dashboard
// assets, the compliance data tables) and the hand-written ambient declarations tsc does not
// copy. dist/ is removed first, so nothing from an earlier build lingers.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const src = path.join(root, "src");
const dist = path.join(root, "dist");

rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync("tsc", ["-p", path.join(root, "tsconfig.build.json")], {
  stdio: "inherit",
  shell: process.platform === "win32",
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

/** Every file under `dir` that is not TypeScript source (or is a .d.ts tsc does not emit). */
function assets(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) found.push(...assets(full));
    else if (!name.endsWith(".ts") || name.endsWith(".d.ts")) found.push(full);
  }
  return found;
}

for (const file of assets(src)) cpSync(file, path.join(dist, path.relative(src, file)));
chmodSync(path.join(dist, "cli", "bin.js"), 0o755);
