import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { type CliContext, withContext } from "../../src/cli/context.ts";

describe("withContext", () => {
  it("hands the action the context of the command that runs, then commander's own arguments", async () => {
    const seen: unknown[] = [];
    const program = new Command().exitOverride().option("--json");
    program
      .command("show")
      .argument("<id>")
      .option("--tenant <name>")
      .option("--limit <n>", "", "5")
      .action(
        withContext(async (ctx: CliContext, id: string, flags: { limit: string }, command: Command) => {
          seen.push(ctx.json, ctx.options.tenant, id, flags, command.name());
        }),
      );
    await program.parseAsync(["--json", "show", "X1", "--tenant", "b"], { from: "user" });
    // The options of the command and of those above it (CliContext.fromCommand).
    expect(seen).toEqual([true, "b", "X1", { limit: "5", tenant: "b" }, "show"]);
  });

  it("keeps a synchronous action synchronous: its error is the action's own", () => {
    const action = withContext((_ctx: CliContext) => {
      throw new Error("bad");
    });
    expect(() => action({}, new Command())).toThrow("bad");
  });
});
