import { hostname, userInfo } from "node:os";
import type { Command } from "commander";
import type { CreateClientOptions, CxoneClient, InternalClient } from "../client.ts";
import { ACTOR_ROLE_MAX, isActorText } from "../core/actor-rule.ts";
import type { CxoneConnection, SettingFlags, Settings } from "../core/config/index.ts";
import { quickSettings } from "../core/config/quick.ts";
import { settingsInput } from "../core/config/tree.ts";
import type { Exchange } from "../core/http/transport.ts";
import { InputError } from "../core/input-error.ts";
import type { Logger } from "../core/logging/logger.ts";
import { registerSecret } from "../core/logging/secrets.ts";
import { printableText } from "../core/printable.ts";
import type { LocalOnly } from "../sdk/options-from-settings.ts";
import { rememberContext } from "./deliver-on-exit.ts";
import { type Interrupt, onInterrupt } from "./interrupt.ts";

/**
 * What every command handler gets: the global options, settings loaded on demand (so commands
 * that need none, like `emulator start`, never fail on a missing credential), a logger, and
 * output helpers that honour `--json` (one JSON document on stdout; human text otherwise).
 * Heavy modules (the HTTP core, the store, pino) are imported when a command first needs them,
 * so `cxo --version` or `cxo compliance check` never pay for them.
 */
export interface GlobalOptions extends SettingFlags {
  json?: boolean;
  /** `cxo audit --installation`: the installation's own store (sign-ins, users), not a tenant's. */
  installation?: boolean;
  actor?: string;
}

export class CliContext {
  readonly options: GlobalOptions;
  private cachedSettings: Promise<Settings> | undefined;
  private cachedLogger: Logger | undefined;

  constructor(options: GlobalOptions) {
    this.options = options;
  }

  /** The options of the command and every command above it (the nearest one wins). */
  static fromCommand(command: Command): CliContext {
    const chain: Command[] = [];
    for (let c: Command | null = command; c; c = c.parent) chain.unshift(c);
    // A value given on a command beats one given above it; a default never beats a given value
    // (every command carries copies of the global options, with their defaults).
    const merged: Record<string, unknown> = {};
    for (const c of chain)
      for (const [key, value] of Object.entries(c.opts()))
        if (!(key in merged) || c.getOptionValueSource(key) !== "default") merged[key] = value;
    const ctx = new CliContext(merged as GlobalOptions);
    rememberContext(ctx);
    return ctx;
  }

  get json(): boolean {
    return this.options.json === true;
  }

  /** Progress bars and colours only for a person at a terminal (not --json, not NO_COLOR, not a pipe). */
  get decorated(): boolean {
    return !this.json && process.stderr.isTTY === true && !process.env.NO_COLOR;
  }

  /**
   * The run's settings, loaded on first use. The usual run (defaults plus named values) never
   * loads the zod schema (core/config/quick.ts); anything else, and every invalid value, does.
   */
  settings(): Promise<Settings> {
    this.cachedSettings ??= (async () => {
      if (this.options.installation) return this.installationSettings();
      const input = settingsInput({ flags: this.options });
      const settings = quickSettings(input) ?? (await import("../core/config/load.ts")).settingsOf(input);
      // A moved date must name a rule: checked before any command reads or sends anything.
      if (Object.keys(settings.rules?.effectiveDates ?? {}).length > 0) {
        const { effectiveDatesProblems } = await import("../compliance/effective-dates.ts");
        const problems = effectiveDatesProblems(settings.rules.effectiveDates);
        if (problems.length > 0) throw new InputError(problems);
      }
      registerSecret(settings.cxone.clientSecret);
      registerSecret(settings.cxone.accessKeySecret);
      for (const destination of Object.values(settings.destinations)) registerSecret(destination.secret);
      return settings;
    })();
    return this.cachedSettings;
  }

  /**
   * The tenants one `cxo serve` serves together (several configured, none named), else undefined;
   * and the installation's settings for them (no connection; the top-level store).
   */
  async servedTenants(): Promise<{ names: string[]; installation: Settings } | undefined> {
    const { servedTenantNames, installationSettingsInput } = await import("../core/config/tree.ts");
    const names = servedTenantNames({ flags: this.options });
    if (!names) return undefined;
    const { settingsOf } = await import("../core/config/load.ts");
    return { names, installation: settingsOf(installationSettingsInput({ flags: this.options })) };
  }

  /**
   * The installation's own settings (its store: the board's users, sign-ins, sessions), for the
   * commands that read it whatever tenants are configured; a tenant named too is a contradiction.
   */
  private async installationSettings(): Promise<Settings> {
    if (this.options.tenant || process.env.CXO_TENANT)
      throw new InputError({
        field: "--installation",
        rule: "reads the installation's own store, no business unit's: leave --tenant (CXO_TENANT) out",
      });
    const { installationSettingsInput } = await import("../core/config/tree.ts");
    const { settingsOf } = await import("../core/config/load.ts");
    return settingsOf(installationSettingsInput({ flags: this.options }));
  }

  /**
   * This run's context acting in `role` beside the person (the autopilot's writes are audited
   * `cli:root@vm as autopilot`; with `--actor cron:x`, `cli:root@vm as cron:x+autopilot`).
   */
  inRole(role: string): CliContext {
    const given = this.options.actor ?? process.env.CXO_ACTOR;
    return new CliContext({ ...this.options, actor: given ? `${given}+${role}` : role });
  }

  /** This run's context for one named tenant (its settings, its store, its client). */
  forTenant(name: string): CliContext {
    return new CliContext({ ...this.options, tenant: name });
  }

  /**
   * Who this command's writes are audited as: the person at the terminal, `cli:<os user>@<host>`,
   * always (issue 77 §5: `--actor someone-else` used to replace it, so anyone could sign any
   * record); `--actor` / CXO_ACTOR add the role they act in beside it —
   * `cli:root@vm as cron:nightly`. The client adds the API user beside that. A role with control
   * characters (a forged line in the audit's human output) or over 128 characters is bad input.
   */
  actor(): string {
    const person = `cli:${osUser()}@${hostname()}`;
    const fromFlag = this.options.actor !== undefined;
    const role = this.options.actor ?? process.env.CXO_ACTOR;
    if (role === undefined || role === "") return person;
    if (!isActorText(role, ACTOR_ROLE_MAX))
      throw new InputError({
        field: fromFlag ? "--actor" : "CXO_ACTOR",
        rule: "must be a role of 1–128 printable characters (no control characters), e.g. cron:nightly",
      });
    return `${person} as ${role}`;
  }

  async connection(): Promise<CxoneConnection> {
    const { requireCxoneConnection } = await import("../core/config/load.ts");
    return requireCxoneConnection(await this.settings());
  }

  /** The run's logger (`settings`: whose log level, when not this run's own, e.g. the installation's). */
  async logger(settings?: Settings): Promise<Logger> {
    if (!this.cachedLogger) {
      const { createLogger } = await import("../core/logging/logger.ts");
      // A person at a terminal reads lines, not JSON; --json keeps pino's JSON lines on stderr.
      const { log } = settings ?? (await this.settings());
      this.cachedLogger = createLogger({
        level: log.level,
        format: this.json ? "json" : "human",
      });
    }
    return this.cachedLogger;
  }

  /**
   * Runs `fn` with a client built from the settings (its store opened on first use; what an
   * earlier run left pending re-driven before new work, with a note), closed afterwards
   * whatever happens. HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured.
   */
  async withClient<T>(fn: (client: InternalClient) => Promise<T>, extra: ClientExtras = {}): Promise<T> {
    const { client, close } = await this.openClient(extra);
    try {
      return await fn(client);
    } finally {
      await close();
    }
  }

  /** A client as `withClient` builds it, and how to close it (the caller's to call). */
  async openClient(
    extra: ClientExtras = {},
  ): Promise<{ client: InternalClient; close: () => Promise<void> }> {
    const settings = await this.settings();
    // The client builder without client.ts: it imports only the settings' platform's adapter.
    const [{ openInternalClient, localClientOptionsFromSettings }, { applicationsOver }] = await Promise.all([
      import("../sdk/build-client.ts"),
      import("../applications.ts"),
    ]);
    const fromSettings = localClientOptionsFromSettings(settings);
    const { options, local } = extra.offline
      ? await withoutConnection(fromSettings, settings.cxone.platform)
      : fromSettings;
    // A command whose work needs CXone is refused at once (ConfigError, exit 2) without one.
    if (local && !extra.local && !extra.offline) throw local.missing.cause;
    // The logger and a proxy serve the HTTP a client sends (the CXone core, the RND): a client
    // that reaches no server (no connection, no RND) is given neither, so a check once a number
    // loads neither pino nor undici. What such a client cannot do refuses; it logs nothing.
    const offline = local !== undefined && options.rnd === undefined;
    const [logger, dispatcher] = offline
      ? [extra.logs ? await this.logger() : undefined, undefined]
      : await Promise.all([this.logger(), proxyFromEnvironment(settings.http.connections)]);
    const { consentPeers, local: _local, offline: _offline, logs: _logs, ...http } = extra;
    const client = await openInternalClient(
      {
        ...options,
        actor: this.actor(),
        http: { ...options.http, ...(dispatcher ? { dispatcher } : {}), ...http },
        ...(logger ? { logger } : {}),
        onRedrive: ({ capability, redriven }) =>
          this.note(`re-drove ${redriven} ${capability} operation(s) left pending by an earlier run`),
        ...(consentPeers ? { consentPeers } : {}),
      },
      applicationsOver,
      local,
    );
    return {
      client,
      close: async () => {
        try {
          await client.close();
        } finally {
          await dispatcher?.close();
        }
      },
    };
  }

  /** The double Ctrl-C convention (first: stop cleanly with `message`; second: quit). */
  interrupt(message: string): Interrupt {
    return onInterrupt((text) => this.note(text), message);
  }

  /** Prints the command's result: `doc` as JSON with --json, else the human text. */
  print(doc: unknown, human: string | (() => string)): void {
    if (this.json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    // Text for a terminal: whatever a value carried, no control character but the layout's.
    else process.stdout.write(`${printableText(typeof human === "function" ? human() : human)}\n`);
  }

  /** Progress and narration: stderr, and only in human mode. */
  note(text: string): void {
    if (!this.json) process.stderr.write(`${printableText(text)}\n`);
  }
}

/** What a command adds to the client the settings describe. */
export interface ClientExtras {
  onExchange?: (exchange: Exchange) => void;
  /** Scope `all`: the other tenants' clients (consent; issue 78 §1). */
  consentPeers?: () => Promise<readonly CxoneClient[]>;
  /**
   * The command's work is local where no connection is configured (the ledger, a check, a
   * file): the client is built all the same, and what it would read of CXone it does without
   * or refuses (ConnectionMissingError, exit 2). Otherwise no connection is a ConfigError at once.
   */
  local?: boolean;
  /**
   * The command's work is the data dir's alone (a file imported, verified, exported or pruned):
   * the client is built without the connection even when one is configured, so nothing of it can
   * reach CXone and its audit rows name the person alone (no API user took part).
   */
  offline?: boolean;
  /**
   * The command's local work logs what it does (the outbox's deliveries to webhook receivers):
   * a client without a connection is given the run's logger all the same.
   */
  logs?: boolean;
}

/** Client options without their connection (if they had one), and the error CXone calls would refuse with. */
async function withoutConnection(
  fromSettings: { options: CreateClientOptions; local?: LocalOnly },
  platform: LocalOnly["platform"],
): Promise<{ options: CreateClientOptions; local: LocalOnly }> {
  if (fromSettings.local) return { options: fromSettings.options, local: fromSettings.local };
  const { ConnectionMissingError } = await import("../core/connection-missing-error.ts");
  const { connection: _connection, ...options } = fromSettings.options;
  const missing = new ConnectionMissingError(
    "connection",
    "this command works on the data dir alone: it sends nothing to CXone",
  );
  return { options, local: { platform, missing } };
}

/**
 * Commander's action callback for `handler`, which takes the run's context first and then what
 * commander passes the action (the command's arguments, its options, the command itself): every
 * command gets its context one way, `CliContext.fromCommand` of the command that runs.
 */
export function withContext<A extends unknown[], R>(
  handler: (ctx: CliContext, ...args: A) => R,
): (...args: unknown[]) => R {
  return (...args) => handler(CliContext.fromCommand(args.at(-1) as Command), ...(args as A));
}

/** An undici agent that follows HTTPS_PROXY / HTTP_PROXY / NO_PROXY, when one of them is set. */
async function proxyFromEnvironment(connections: number) {
  const env = process.env;
  const proxied = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"].some((name) => env[name]);
  if (!proxied) return undefined;
  const { EnvHttpProxyAgent } = await import("../core/http/undici.ts");
  return new EnvHttpProxyAgent({ connections });
}

/** The OS user's name; a process without one (a container's numeric uid) is named by its uid. */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid${process.getuid?.() ?? "?"}`;
  }
}
