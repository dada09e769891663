import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The installed CLI's entry point: what `npx cxo` runs from the package (compiled JavaScript). */
const INSTALLED_CLI = path.join(ROOT, "dist", "cli", "bin.js");

/**
 * Builds dist/ from the sources as they are now (npm run build), so a suite measuring the
 * installed CLI never measures a stale build. The clone's bin/cxo.js runs the TypeScript sources
 * through Node's type stripping instead, which costs start-up time and ~10-20 MB of memory that
 * an installed package does not pay. Returns the entry point's path.
 */
export function buildInstalledCli(): string {
  const build = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build.ts")], {
    stdio: "inherit",
    env: { ...process.env, PATH: `${path.join(ROOT, "node_modules", ".bin")}:${process.env.PATH ?? ""}` },
  });
  if (build.status !== 0) throw new Error("npm run build failed");
  return INSTALLED_CLI;
}
