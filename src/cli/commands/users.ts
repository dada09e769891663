import { userInfo } from "node:os";
import type { Command } from "commander";
import { clockNowDate } from "../../core/clock/now.ts";
import { ADMIN_TENANTS_RULE, type Settings, USER_ROLES, userNameProblem } from "../../core/config/index.ts";
import { InputError } from "../../core/input-error.ts";
import type { Store } from "../../core/store/index.ts";
import type { StoredUser } from "../../service/operators.ts";
import { type CliContext, withContext } from "../context.ts";

/**
 * `cxo users add|remove|list|hash`: the people who sign in to `cxo serve`'s board, kept in the
 * store (every instance on one PostgreSQL store sees them). The password is read from standard
 * input (one line), never from a flag: flags end up in shell history and `ps`.
 */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("Password (then Enter): ");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** Who ran the command, for the audit record: the OS user (`cli:<user>`). */
function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return `cli:${process.env.USER ?? process.env.USERNAME ?? "unknown"}`;
  }
}

async function checkedPassword(): Promise<string> {
  const { MIN_PASSWORD_LENGTH } = await import("../../service/operators.ts");
  const password = await readPassword();
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new InputError({
      field: "password (standard input)",
      rule: `must be at least ${MIN_PASSWORD_LENGTH} characters`,
    });
  return password;
}

/**
 * Where the board's users live: the installation's store when one `cxo serve` serves several
 * tenants (several configured, none named: that service reads them there), else the store of
 * this run's one business unit (today's place, what `cxo --tenant NAME serve` reads).
 */
async function usersHome(ctx: CliContext): Promise<{ settings: Settings; tenants: string[] | undefined }> {
  const served = await ctx.servedTenants();
  return served
    ? { settings: served.installation, tenants: served.names }
    : { settings: await ctx.settings(), tenants: undefined };
}

async function withUsersStore<T>(home: { settings: Settings }, fn: (store: Store) => Promise<T>): Promise<T> {
  const { openStore } = await import("../../core/store/index.ts");
  const store = await openStore(home.settings);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * The grants of a new user: on an installation serving several tenants a viewer or operator must
 * be given `--tenants` (each a configured one; no user is silently granted nothing, nor
 * everything), an admin sees every tenant and takes none; elsewhere `--tenants` means nothing.
 */
function grantsOf(role: string, given: string | undefined, tenants: string[] | undefined) {
  if (tenants === undefined) {
    if (given !== undefined)
      throw new InputError({
        field: "--tenants",
        rule: "this store serves one business unit: grants are for an installation serving several tenants (name none with --tenant)",
      });
    return undefined;
  }
  if (role === "admin") {
    if (given !== undefined)
      throw new InputError({
        field: "--tenants",
        rule: ADMIN_TENANTS_RULE.replace("tenants out", "--tenants out"),
      });
    return undefined;
  }
  if (given === undefined)
    throw new InputError({
      field: "--tenants",
      rule: `is required for a ${role} on an installation serving several tenants (${tenants.join(", ")}): name the ones this user may see, comma-separated`,
    });
  const names = [...new Set(given.split(",").map((name) => name.trim()))];
  for (const name of names)
    if (!tenants.includes(name))
      throw new InputError({
        field: "--tenants",
        rule: `${JSON.stringify(name)} is not a configured tenant (configured: ${tenants.join(", ")})`,
      });
  return names;
}

export function registerUserCommands(program: Command): void {
  const users = program.command("users").description("people who sign in to the `cxo serve` board");

  users
    .command("add <name>")
    .description("add or replace a board user (password on standard input)")
    .requiredOption(
      "--role <role>",
      `${USER_ROLES.join(" | ")}: a viewer sees, an operator also acts, an admin acts on every tenant`,
    )
    .option(
      "--tenants <names>",
      "the tenants a viewer or operator may see (comma-separated; several tenants served)",
    )
    .action(
      withContext(async (ctx, name: string, options: { role: string; tenants?: string }) => {
        const problems = [];
        const nameProblem = userNameProblem(name);
        if (nameProblem) problems.push({ field: "name", rule: nameProblem });
        if (!(USER_ROLES as readonly string[]).includes(options.role))
          problems.push({ field: "--role", rule: `must be one of ${USER_ROLES.join(", ")}` });
        if (problems.length > 0) throw new InputError(problems);
        const home = await usersHome(ctx);
        const tenants = grantsOf(options.role, options.tenants, home.tenants);
        const password = await checkedPassword();
        const { hashPassword, saveUser } = await import("../../service/operators.ts");
        const passwordHash = await hashPassword(password, home.settings.service.passwordHashCost);
        await withUsersStore(home, (store) =>
          saveUser(
            store,
            {
              name,
              role: options.role as (typeof USER_ROLES)[number],
              passwordHash,
              ...(tenants ? { tenants } : {}),
              createdAt: clockNowDate().toISOString(),
            },
            cliActor(),
          ),
        );
        const sees =
          home.tenants === undefined
            ? ""
            : options.role === "admin"
              ? ", every tenant"
              : `, tenants ${tenants!.join(", ")}`;
        ctx.print(
          { name, role: options.role, ...(home.tenants ? { tenants: tenants ?? "all" } : {}) },
          `user ${name} (${options.role}${sees}) saved`,
        );
      }),
    );

  users
    .command("remove <name>")
    .description("remove a board user kept in the store (their sessions and live streams end at once)")
    .action(
      withContext(async (ctx, name: string) => {
        const { removeUser, storedUsers } = await import("../../service/operators.ts");
        const removed = await withUsersStore(await usersHome(ctx), async (store) => {
          if (!(await storedUsers(store)).some((u) => u.name === name)) return false;
          await removeUser(store, name, cliActor());
          return true;
        });
        if (!removed) throw new InputError({ field: "name", rule: `no user ${name} in the store` });
        ctx.print({ name, removed }, `user ${name} removed`);
      }),
    );

  users
    .command("list")
    .description("the board users kept in the store (config users are in service.users)")
    .action(
      withContext(async (ctx) => {
        const { storedUsers } = await import("../../service/operators.ts");
        const home = await usersHome(ctx);
        const grants = (u: StoredUser): string[] | "all" => (u.role === "admin" ? "all" : (u.tenants ?? []));
        const list = (await withUsersStore(home, storedUsers)).map((u) => ({
          name: u.name,
          role: u.role,
          ...(home.tenants ? { tenants: grants(u) } : {}),
          createdAt: u.createdAt,
        }));
        ctx.print({ users: list }, () =>
          list.length === 0
            ? "no users in the store"
            : list
                .map((u) =>
                  [
                    u.name,
                    u.role,
                    ...(u.tenants === undefined
                      ? []
                      : [u.tenants === "all" ? "all tenants" : u.tenants.join(",") || "no tenant"]),
                    u.createdAt,
                  ].join("\t"),
                )
                .join("\n"),
        );
      }),
    );

  users
    .command("hash")
    .description("print the bcrypt hash of a password (standard input), for service.users[].passwordHash")
    .action(
      withContext(async (ctx) => {
        const password = await checkedPassword();
        const { hashPassword } = await import("../../service/operators.ts");
        const passwordHash = await hashPassword(
          password,
          (await usersHome(ctx)).settings.service.passwordHashCost,
        );
        ctx.print({ passwordHash }, passwordHash);
      }),
    );
}
