import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rename, rm } from "node:fs/promises";
import { arch, platform, tmpdir } from "node:os";
import { join } from "node:path";
import sparticuz from "@sparticuz/chromium";
import { type Browser, chromium, type LaunchOptions } from "playwright-core";

/**
 * The browser the browser tests drive: the Chromium build that `npm ci` installs from the npm
 * registry (`@sparticuz/chromium`, the binary inside the tarball, brotli-compressed), unpacked
 * once per machine and version, then driven by playwright-core, headless, offline, with nothing
 * phoning home. No apt, no root, no download, and no skip: if it cannot start, the test fails.
 *
 * `CXO_TEST_CHROMIUM=/path/to/chrome` overrides it (any Chromium playwright-core can drive);
 * off Linux x64, where that build cannot run, an installed Google Chrome is used.
 */
export async function launchChromium(options: Pick<LaunchOptions, "env"> = {}): Promise<Browser> {
  // The browser takes its language from the environment: under LANG=C or C.UTF-8 (Debian's and
  // most containers' default) navigator.language is `en-US@posix`. `options.env` sets another.
  const override = process.env.CXO_TEST_CHROMIUM;
  const quiet = [
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ];
  if (override) {
    return chromium.launch({ ...options, executablePath: override, args: ["--no-sandbox", ...quiet] });
  }
  if (platform() !== "linux" || arch() !== "x64") {
    return chromium.launch({ ...options, channel: "chrome", args: quiet });
  }
  return chromium.launch({
    ...options,
    executablePath: await unpackedChromium(),
    args: [...sparticuz.args.filter((flag) => !UNWANTED_FLAGS.has(flag)), "--disable-gpu", ...quiet],
  });
}

/**
 * The package's flags are for a serverless function: the tests keep its headless shell and no
 * sandbox (they may run as root) but drop `--single-process` (a second browser context then
 * closes the browser; each test page is its own context) and the flags that switch off the web's
 * security, which a forged cross-origin request must meet as in a user's browser.
 *
 * They also drop the emulated GPU (ANGLE on SwiftShader, in the browser process) for
 * `--disable-gpu`: no page of ours uses WebGL, and SwiftShader's GL emulation of the compositor
 * cost more CPU than software compositing — the 16 browser test files took 43.9 s of CPU with it
 * and 28.2 s without (issue 68 §6, two runs each, 2026-11-26, load 7–9), the same 44 tests passing.
 */
const UNWANTED_FLAGS = new Set([
  "--single-process",
  "--disable-web-security",
  "--allow-running-insecure-content",
  "--ignore-gpu-blocklist",
  "--in-process-gpu",
  "--use-gl=angle",
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
]);

let unpacking: Promise<string> | undefined;

/**
 * The unpacked binary, at `$CXO_TEST_CACHE_DIR/cxo-chromium-<version>-<uid>/chromium` (the
 * machine's temporary directory, not the run's: run-temp-global-setup.ts), shared by every worktree,
 * run and test worker of this user. The package unpacks into `os.tmpdir()` and reuses whatever file it
 * finds there, so a second worker starting mid-unpack would launch a half-written binary: each
 * unpacks into its own fresh directory (the package reads `TMPDIR` at each call) and renames it
 * into place; the rename is atomic, and a loser of the race removes its copy and uses the winner's.
 */
function unpackedChromium(): Promise<string> {
  unpacking ??= (async () => {
    // The package exports no package.json; its version sits one level above its entry point.
    const manifest = new URL("../package.json", import.meta.resolve("@sparticuz/chromium"));
    const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
    const home = join(
      process.env.CXO_TEST_CACHE_DIR ?? tmpdir(),
      `cxo-chromium-${version}-${process.getuid?.() ?? "user"}`,
    );
    const binary = join(home, "chromium");
    if (existsSync(binary)) return binary;
    const staging = await mkdtemp(`${home}.unpacking-`);
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = staging;
    try {
      await sparticuz.executablePath();
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
    try {
      await rename(staging, home);
    } catch (error) {
      if (!existsSync(binary)) throw error;
      await rm(staging, { recursive: true, force: true });
    }
    return binary;
  })();
  return unpacking;
}
