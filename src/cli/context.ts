import type { Command } from "commander";
import { type CxoneClient, createClient } from "../client.ts";
import {
  type CxoneConnection,
  loadSettings,
  requireCxoneConnection,
  type SettingFlags,
  type Settings,
} from "../core/config/index.ts";
import { createLogger, type Logger, registerSecret } from "../core/logging/index.ts";
import { openStore, type Store } from "../core/store/index.ts";
import { rememberContext } from "./deliver-on-exit.ts";

/**
 * What every command handler gets: the global options, settings loaded on demand (so commands
 * that need none, like `emulator start`, never fail on a missing credential), a logger, and
 * output helpers that honour `--json` (one JSON document on stdout; human text otherwise).
 */
export interface GlobalOptions extends SettingFlags {
  json?: boolean;
}

export class CliContext {
  readonly options: GlobalOptions;
  private cachedSettings: Settings | undefined;
  private cachedLogger: Logger | undefined;

  constructor(options: GlobalOptions) {
    this.options = options;
  }

  static fromCommand(command: Command): CliContext {
    const ctx = new CliContext(command.optsWithGlobals<GlobalOptions>());
    rememberContext(ctx);
    return ctx;
  }

  get json(): boolean {
    return this.options.json === true;
  }

  settings(): Settings {
    if (!this.cachedSettings) {
      this.cachedSettings = loadSettings({ flags: this.options });
      registerSecret(this.cachedSettings.cxone.clientSecret);
      registerSecret(this.cachedSettings.cxone.accessKeySecret);
      for (const destination of Object.values(this.cachedSettings.destinations))
        registerSecret(destination.secret);
    }
    return this.cachedSettings;
  }

  connection(): CxoneConnection {
    return requireCxoneConnection(this.settings());
  }

  logger(): Logger {
    // A person at a terminal reads lines, not JSON; --json keeps pino's JSON lines on stderr.
    this.cachedLogger ??= createLogger({
      level: this.settings().log.level,
      format: this.json ? "json" : "human",
    });
    return this.cachedLogger;
  }

  /** Runs `fn` with the local store of the data dir, closed afterwards whatever happens. */
  async withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    const store = await openStore(this.settings());
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  }

  /** Runs `fn` with a CXone client built from the settings, closed afterwards whatever happens. */
  async withClient<T>(fn: (client: CxoneClient) => Promise<T>): Promise<T> {
    const client = createClient({ settings: this.settings(), logger: this.logger() });
    try {
      return await fn(client);
    } finally {
      await client.close();
    }
  }

  /** Prints the command's result: `doc` as JSON with --json, else the human text. */
  print(doc: unknown, human: string | (() => string)): void {
    if (this.json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    else process.stdout.write(`${typeof human === "function" ? human() : human}\n`);
  }

  /** Progress and narration: stderr, and only in human mode. */
  note(text: string): void {
    if (!this.json) process.stderr.write(`${text}\n`);
  }
}
