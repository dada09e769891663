import type { Command } from "commander";
import { InputError } from "../../core/input-error.ts";
import { isLoopbackHost } from "../../core/loopback.ts";
import type { KnobsInput } from "../../emulator/cxone/knobs.ts";
import { type RunningCxoneEmulator, type RunningEmulator, startEmulator } from "../../emulator/index.ts";
import { type CliContext, withContext } from "../context.ts";
import { knobsFromFlags } from "./emulator-knobs.ts";

/**
 * `cxo emulator start`: the CXone emulator in the foreground. Prints one line with its base URL
 * once it listens (or `{"url": ...}` with --json) and stops cleanly on SIGINT/SIGTERM.
 */
interface StartFlags {
  port: string;
  host: string;
  seed: string;
  calls: string;
  latencyMs: string;
  rateLimitScale: string;
  tokenTtlS: string;
  operationDelayMs: string;
  speed: string;
  allowRemote?: boolean;
  platform?: string;
  days: string;
  uploadJobPolls: string;
  knob: string[];
  profile?: string;
  envOut?: string;
}

function integerFlag(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new InputError({ field: flag, rule: `an integer from ${min} to ${max} (got "${text}")` });
  }
  return value;
}

function positiveFlag(flag: string, text: string, max = 1_000_000): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0 || value > max) {
    throw new InputError({ field: flag, rule: `a number above 0 and at most ${max} (got "${text}")` });
  }
  return value;
}

export function registerEmulatorCommands(program: Command): void {
  const emulator = program
    .command("emulator")
    .description(
      "a local CXone emulator: the seed API (default) or NICE's production API (--platform cxone); --platform rnd: the Reassigned Numbers Database",
    );
  registerReplayCommand(emulator);
  registerStartCommand(emulator);
}

/** `cxo emulator replay FILE.har`: a recorded run served back. */
function registerReplayCommand(emulator: Command): void {
  emulator
    .command("replay <file.har>")
    .description(
      "serve a recorded run (`cxo doctor --record FILE.har`) back: each request gets the answer recorded for it",
    )
    .option("--port <port>", "TCP port (0 = any free port)", "8787")
    .action(
      withContext(async (ctx, file: string, flags: { port: string }) => {
        const { startHarReplay } = await import("../../emulator/har-replay.ts");
        let replay: Awaited<ReturnType<typeof startHarReplay>>;
        try {
          replay = await startHarReplay(file, { port: integerFlag("--port", flags.port, 0, 65_535) });
        } catch (error) {
          if (error instanceof InputError) throw error;
          throw new InputError({
            field: "file.har",
            rule: `${file} is not a readable HAR recording (${(error as Error).message})`,
          });
        }
        ctx.print(
          { url: replay.url },
          `replaying ${file} on ${replay.url}: point cxo at it with CXONE_ISSUER=${replay.url} CXONE_ACCESS_KEY_URL=${replay.url}/authentication/v1/token/access-key (any access key)`,
        );
        await new Promise<void>((resolve) => {
          const stop = () => void replay.close().then(resolve, resolve);
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
        });
      }),
    );
}

/** `cxo emulator start`: either platform's emulator, in the foreground. */
function registerStartCommand(emulator: Command): void {
  emulator
    .command("start")
    .description("run the emulator in the foreground until SIGINT/SIGTERM")
    .option("--port <port>", "TCP port (0 = any free port)", "8787")
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--seed <n>", "seed for every generated id, secret and record", "42")
    .option("--calls <n>", "number of outbound call records (generated lazily)", "100000")
    .option("--latency-ms <ms>", "latency added to every API request", "0")
    .option("--rate-limit-scale <x>", "multiplies every endpoint group's rate limit", "1")
    .option("--token-ttl-s <s>", "lifetime of issued access tokens", "3600")
    .option("--operation-delay-ms <ms>", "how long a dialer settings operation stays IN_PROGRESS", "4000")
    .option("--speed <n>", "simulated seconds per real second of the live dialer twin", "1")
    .option("--allow-remote", "listen on a non-loopback --host (its admin API serves client secrets)")
    .option(
      // Not --env-file: Node reads that flag from anywhere in its arguments (a file to load).
      "--env-out <file>",
      "once listening, write the CXONE_* variables that point cxo at it (`. FILE` in a shell; owner-only)",
    )
    .option(
      "--platform <name>",
      "seed (the seed API, default), cxone (NICE's production API) or rnd (the Reassigned Numbers Database)",
    )
    .option("--days <n>", "cxone: days of completed contacts, up to the start", "30")
    .option("--upload-job-polls <n>", "cxone: a call-list upload job completes on this poll", "2")
    .option(
      "--knob <name=value>",
      "cxone: set a knob for an unconfirmed platform fact (repeatable; see docs/emulator-cxone.md)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      "--profile <file>",
      "cxone: take the knobs from a tenant profile (`cxo doctor --profile FILE`); --knob wins",
    )
    .action(withContext(startCommand));
}

async function startCommand(ctx: CliContext, flags: StartFlags, command: Command): Promise<void> {
  checkRemote(flags.host, flags.allowRemote === true);
  // A global --platform (the profile's) may have taken the flag before this command saw it.
  const platform = flags.platform ?? (command.optsWithGlobals() as { platform?: string }).platform ?? "seed";
  if (platform !== "seed" && platform !== "cxone" && platform !== "rnd") {
    throw new InputError({ field: "--platform", rule: `seed, cxone or rnd (got "${platform}")` });
  }
  refuseForeignFlags(command, platform);
  const common = {
    port: integerFlag("--port", flags.port, 0, 65_535),
    host: flags.host.trim() === "" ? invalidHost() : flags.host,
    seed: integerFlag("--seed", flags.seed, 0, 2 ** 31 - 1),
    latencyMs: integerFlag("--latency-ms", flags.latencyMs, 0, 60_000),
    tokenTtlS: integerFlag("--token-ttl-s", flags.tokenTtlS, 1, 31_536_000),
  };
  if (platform === "rnd") return startRndCommand(ctx, common, flags.envOut);
  const running =
    platform === "cxone"
      ? await startEmulator({
          platform: "cxone",
          ...common,
          contacts: integerFlag("--calls", flags.calls, 1, 10_000_000),
          days: integerFlag("--days", flags.days, 1, 365),
          uploadJobPolls: integerFlag("--upload-job-polls", flags.uploadJobPolls, 1, 1000),
          knobs: { ...(await profileKnobs(flags.profile)), ...knobsFromFlags(flags.knob) },
        })
      : await startSeedFromFlags(flags, common);
  const label = platform === "cxone" ? "CXone production-API emulator" : "CXone emulator";
  // Signal handlers first, then the line: a caller that stops us as soon as it reads the
  // URL must find them installed.
  const stopped = closedOnSignal(running);
  if (flags.envOut) await writeEnvOut(flags.envOut, running);
  ctx.print({ url: running.url, platform }, `${label} listening on ${running.url}`);
  await stopped;
}

/** Either CXone platform's emulator, as `start` runs it. */
type Running = RunningEmulator | RunningCxoneEmulator;

/** Resolves once a signal closed the emulator: the first closes it gracefully, a second stops waiting. */
function closedOnSignal(running: { close(): Promise<void> }): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) {
        resolve();
        return;
      }
      stopping = true;
      void running.close().then(resolve, resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** `--env-out`: the CXONE_* variables that point cxo at it; a file it cannot write stops it (exit 2). */
async function writeEnvOut(file: string, running: Running): Promise<void> {
  const { emulatorEnvironment, writeEnvFile } = await import("../../emulator/env-file.ts");
  try {
    writeEnvFile(file, emulatorEnvironment(running));
  } catch (error) {
    await running.close();
    if (error instanceof InputError) throw error;
    throw new InputError({
      field: "--env-out",
      rule: `cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    });
  }
}

/**
 * The emulator's /_emulator/fixtures hands out client secrets without any auth (tests need
 * them), so listening beyond this machine is refused unless asked for, and then warned about.
 */
function checkRemote(host: string, allowRemote: boolean): void {
  if (isLoopbackHost(host)) return;
  if (!allowRemote)
    throw new InputError({
      field: "--host",
      rule: `${host} is not a loopback address: the emulator's admin API (/_emulator/fixtures) serves client secrets to anyone who can reach it. Keep 127.0.0.1, or pass --allow-remote on a trusted network`,
    });
  process.stderr.write(
    `warning: the emulator listens on ${host}: anyone who can reach it can read its client secrets at /_emulator/fixtures\n`,
  );
}

/** Flags of one emulator given to the other are refused, not silently ignored. */
const ONLY_FOR: Record<string, { platform: "seed" | "cxone"; flag: string }> = {
  rateLimitScale: { platform: "seed", flag: "--rate-limit-scale" },
  operationDelayMs: { platform: "seed", flag: "--operation-delay-ms" },
  speed: { platform: "seed", flag: "--speed" },
  days: { platform: "cxone", flag: "--days" },
  uploadJobPolls: { platform: "cxone", flag: "--upload-job-polls" },
  knob: { platform: "cxone", flag: "--knob" },
  profile: { platform: "cxone", flag: "--profile" },
};

/** `--platform rnd`: the Reassigned Numbers Database's emulator (docs/emulator-rnd.md). */
async function startRndCommand(
  ctx: CliContext,
  common: { port: number; host: string; seed: number; latencyMs: number; tokenTtlS: number },
  envOut: string | undefined,
): Promise<void> {
  const { startRndEmulator } = await import("../../emulator/rnd/index.ts");
  const running = await startRndEmulator(common);
  const stopped = closedOnSignal(running);
  if (envOut) {
    const { writeEnvFile } = await import("../../emulator/env-file.ts");
    const { url, clientId, clientSecret } = running.fixtures;
    try {
      writeEnvFile(envOut, {
        CXO_RND_URL: url,
        CXO_RND_CLIENT_ID: clientId,
        CXO_RND_CLIENT_SECRET: clientSecret,
      });
    } catch (error) {
      await running.close();
      throw new InputError({
        field: "--env-out",
        rule: `cannot write ${envOut} (${(error as Error).message})`,
      });
    }
  }
  ctx.print(
    { url: running.url, platform: "rnd" },
    `Reassigned Numbers Database emulator listening on ${running.url} (CXO_RND_URL; credentials at ${running.url}/_emulator/fixtures)`,
  );
  await stopped;
}

function refuseForeignFlags(command: Command, platform: "seed" | "cxone" | "rnd"): void {
  for (const [key, only] of Object.entries(ONLY_FOR)) {
    if (only.platform !== platform && command.getOptionValueSource(key) === "cli") {
      throw new InputError({
        field: only.flag,
        rule: `applies to the ${only.platform} emulator only (this is --platform ${platform})`,
      });
    }
  }
}

function startSeedFromFlags(
  flags: StartFlags,
  common: { port: number; host: string; seed: number; latencyMs: number; tokenTtlS: number },
) {
  return startEmulator({
    ...common,
    calls: integerFlag("--calls", flags.calls, 1, 1_000_000_000),
    rateLimitScale: positiveFlag("--rate-limit-scale", flags.rateLimitScale),
    operationDelayMs: integerFlag("--operation-delay-ms", flags.operationDelayMs, 0, 600_000),
    speed: positiveFlag("--speed", flags.speed, 100_000),
  });
}

function invalidHost(): never {
  throw new InputError({ field: "--host", rule: "a host name or IP address" });
}

/** The knobs a tenant profile sets (none without --profile); a bad file is bad input. */
async function profileKnobs(file: string | undefined): Promise<KnobsInput> {
  if (file === undefined) return {};
  const { knobsOfProfile, ProfileError } = await import("../../emulator/cxone/profile.ts");
  try {
    return knobsOfProfile(file);
  } catch (error) {
    if (error instanceof ProfileError) throw new InputError({ field: error.field, rule: error.rule });
    throw error;
  }
}
