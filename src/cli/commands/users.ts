import { userInfo } from "node:os";
import type { Command } from "commander";
import { USER_NAME_PATTERN, USER_ROLES } from "../../core/config/index.ts";
import { InputError } from "../../core/input-error.ts";
import { CliContext } from "../context.ts";

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

export function registerUserCommands(program: Command): void {
  const users = program.command("users").description("people who sign in to the `cxo serve` board");

  users
    .command("add <name>")
    .description("add or replace a board user (password on standard input)")
    .requiredOption("--role <role>", `${USER_ROLES.join(" | ")}: a viewer sees, an operator also acts`)
    .action(async (name: string, options: { role: string }, command: Command) => {
      const ctx = CliContext.fromCommand(command);
      const problems = [];
      if (!USER_NAME_PATTERN.test(name))
        problems.push({ field: "name", rule: "1-64 letters, digits, '.', '_', '@' or '-'" });
      if (!(USER_ROLES as readonly string[]).includes(options.role))
        problems.push({ field: "--role", rule: `must be one of ${USER_ROLES.join(", ")}` });
      if (problems.length > 0) throw new InputError(problems);
      const password = await checkedPassword();
      const { hashPassword, saveUser } = await import("../../service/operators.ts");
      const passwordHash = await hashPassword(password, (await ctx.settings()).service.passwordHashCost);
      await ctx.withStore((store) =>
        saveUser(
          store,
          {
            name,
            role: options.role as (typeof USER_ROLES)[number],
            passwordHash,
            createdAt: new Date().toISOString(),
          },
          cliActor(),
        ),
      );
      ctx.print({ name, role: options.role }, `user ${name} (${options.role}) saved`);
    });

  users
    .command("remove <name>")
    .description("remove a board user kept in the store (their sessions and live streams end at once)")
    .action(async (name: string, _options: unknown, command: Command) => {
      const ctx = CliContext.fromCommand(command);
      const { removeUser, storedUsers } = await import("../../service/operators.ts");
      const removed = await ctx.withStore(async (store) => {
        if (!(await storedUsers(store)).some((u) => u.name === name)) return false;
        await removeUser(store, name, cliActor());
        return true;
      });
      if (!removed) throw new InputError({ field: "name", rule: `no user ${name} in the store` });
      ctx.print({ name, removed }, `user ${name} removed`);
    });

  users
    .command("list")
    .description("the board users kept in the store (config users are in service.users)")
    .action(async (_options: unknown, command: Command) => {
      const ctx = CliContext.fromCommand(command);
      const { storedUsers } = await import("../../service/operators.ts");
      const list = (await ctx.withStore(storedUsers)).map(({ name, role, createdAt }) => ({
        name,
        role,
        createdAt,
      }));
      ctx.print({ users: list }, () =>
        list.length === 0
          ? "no users in the store"
          : list.map((u) => `${u.name}\t${u.role}\t${u.createdAt}`).join("\n"),
      );
    });

  users
    .command("hash")
    .description("print the bcrypt hash of a password (standard input), for service.users[].passwordHash")
    .action(async (_options: unknown, command: Command) => {
      const ctx = CliContext.fromCommand(command);
      const password = await checkedPassword();
      const { hashPassword } = await import("../../service/operators.ts");
      const passwordHash = await hashPassword(password, (await ctx.settings()).service.passwordHashCost);
      ctx.print({ passwordHash }, passwordHash);
    });
}
