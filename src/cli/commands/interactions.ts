import type { Command } from "commander";
import { createClient } from "../../client.ts";
import { CxoneError } from "../../core/http/errors.ts";
import { InputError, type InputProblem } from "../../core/input-error.ts";
import { openStore } from "../../core/store/index.ts";
import {
  entryProblems,
  InteractionMetrics,
  interactionIdProblem,
  redriveStale,
  type SetDispositionResult,
  setDisposition,
} from "../../interactions/index.ts";
import { CliContext } from "../context.ts";

/**
 * `cxo interactions get ID` and
 * `cxo interactions set-disposition ID --code C --description S --agent A [--etag E] [--timestamp ISO]`
 * (seed 001): correct a closed interaction's dispositions with optimistic locking.
 */
interface SetOptions {
  code?: string;
  description?: string;
  agent?: string;
  etag?: string;
  timestamp?: string;
}

function human(result: SetDispositionResult): string {
  const what =
    result.outcome === "unchanged"
      ? `already had ${result.code}; nothing sent`
      : `${result.code} set (${result.outcome}) after ${result.patches} PATCH(es), ${result.conflicts} conflict(s) resolved`;
  return [
    `interaction ${result.interactionId}: ${what}`,
    `etag ${result.beforeEtag} -> ${result.afterEtag}${result.staleEtag ? ` (given ${result.givenEtag} was stale)` : ""}`,
    `dispositions: ${result.dispositions.map((d) => d.code).join(", ") || "(none)"}`,
  ].join("\n");
}

export function registerInteractionCommands(program: Command): void {
  const interactions = program
    .command("interactions")
    .description("closed interactions and their dispositions (optimistic locking with ETags)");

  interactions
    .command("get")
    .description("show an interaction, its dispositions and its current ETag")
    .argument("<id>", "interaction id")
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = CliContext.fromCommand(command);
      const problem = interactionIdProblem(id);
      if (problem) throw new InputError(problem);
      await ctx.withClient(async (client) => {
        const { interaction, etag } = await client.interactions.get(id);
        ctx.print({ id: interaction.id, etag, dispositions: interaction.dispositions }, () =>
          [
            `interaction ${interaction.id}  etag ${etag}`,
            ...interaction.dispositions.map(
              (d) => `  ${d.code}  ${d.description}  agent=${d.agentId}  ${d.timestamp}`,
            ),
          ].join("\n"),
        );
      });
    });

  interactions
    .command("set-disposition")
    .description(
      "add or replace one disposition, keeping every other one; a concurrent edit is re-read and kept, never overwritten",
    )
    .argument("<id>", "interaction id")
    .option("--code <code>", "disposition code (GET /api/v1/dispositions: 1xx primary, 2xx secondary)")
    .option("--description <text>", "description")
    .option("--agent <id>", "agent id")
    .option("--etag <etag>", "the ETag you read (default: read the current one)")
    .option("--timestamp <iso>", "ISO 8601 with a zone (default: now, UTC)")
    .action(async (id: string, options: SetOptions, command: Command) => {
      const ctx = CliContext.fromCommand(command);
      const timestamp = options.timestamp ?? new Date().toISOString();
      const input = {
        code: options.code ?? "",
        description: options.description ?? "",
        agentId: options.agent ?? "",
        timestamp,
        ...(options.etag === undefined ? {} : { etag: options.etag }),
      };
      // Everything checkable without CXone first: bad input never opens a connection.
      const problems: InputProblem[] = [
        ...[interactionIdProblem(id)].filter((p): p is InputProblem => p !== null),
        ...entryProblems(input),
      ];
      if (options.etag !== undefined && options.etag.trim() === "")
        problems.push({ field: "--etag", rule: "must not be empty when given" });
      if (problems.length > 0) throw new InputError(problems);

      const settings = ctx.settings();
      const client = createClient({ settings, logger: ctx.logger() });
      // A platform that cannot correct a closed interaction says so before anything is read.
      const refusal = client.support.unsupported("interactions.replaceDispositions");
      if (refusal) {
        await client.close();
        throw refusal;
      }
      const store = await openStore(settings, { actor: client.connection.clientId });
      const metrics = new InteractionMetrics();
      try {
        await redriveStale(store, client.interactions, metrics);
        const result = await setDisposition({ port: client.interactions, store, metrics }, id, input);
        ctx.print({ ok: true, ...result, metrics: metrics.snapshot() }, () => human(result));
      } catch (error) {
        if (ctx.json) {
          const described =
            error instanceof InputError
              ? { name: error.name, problems: error.problems }
              : error instanceof CxoneError
                ? error.toJSON()
                : { name: "Error", message: String(error) };
          ctx.print({ ok: false, interactionId: id, error: described, metrics: metrics.snapshot() }, "");
        }
        throw error;
      } finally {
        await store.close();
        await client.close();
      }
    });
}
