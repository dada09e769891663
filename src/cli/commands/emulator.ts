import type { Command } from "commander";
import { InputError } from "../../core/input-error.ts";
import { isLoopbackHost } from "../../core/loopback.ts";
import { startEmulator } from "../../emulator/index.ts";
import { CliContext } from "../context.ts";

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
  allowRemote?: boolean;
}

function integerFlag(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new InputError({ field: flag, rule: `an integer from ${min} to ${max} (got "${text}")` });
  }
  return value;
}

function positiveFlag(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0 || value > 1_000_000) {
    throw new InputError({ field: flag, rule: `a number above 0 and at most 1000000 (got "${text}")` });
  }
  return value;
}

export function registerEmulatorCommands(program: Command): void {
  const emulator = program.command("emulator").description("a local CXone emulator serving the seed API");
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
    .option("--allow-remote", "listen on a non-loopback --host (its admin API serves client secrets)")
    .action(async (flags: StartFlags, command: Command) => {
      const ctx = CliContext.fromCommand(command);
      checkRemote(flags.host, flags.allowRemote === true);
      const options = {
        port: integerFlag("--port", flags.port, 0, 65_535),
        host: flags.host.trim() === "" ? invalidHost() : flags.host,
        seed: integerFlag("--seed", flags.seed, 0, 2 ** 31 - 1),
        calls: integerFlag("--calls", flags.calls, 1, 1_000_000_000),
        latencyMs: integerFlag("--latency-ms", flags.latencyMs, 0, 60_000),
        rateLimitScale: positiveFlag("--rate-limit-scale", flags.rateLimitScale),
        tokenTtlS: integerFlag("--token-ttl-s", flags.tokenTtlS, 1, 31_536_000),
        operationDelayMs: integerFlag("--operation-delay-ms", flags.operationDelayMs, 0, 600_000),
      };
      const running = await startEmulator(options);
      ctx.print({ url: running.url }, `CXone emulator listening on ${running.url}`);
      await new Promise<void>((resolve) => {
        let stopping = false;
        // First signal: close gracefully. A second one while closing: stop waiting.
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
    });
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

function invalidHost(): never {
  throw new InputError({ field: "--host", rule: "a host name or IP address" });
}
