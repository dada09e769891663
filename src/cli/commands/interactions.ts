import type { Command } from "commander";
import { clockNowDate } from "../../core/clock/now.ts";
import { CxoneError } from "../../core/http/errors.ts";
import { InputError } from "../../core/input-error.ts";
import { interactionIdProblem, setDispositionProblems } from "../../interactions/entry-rules.ts";
import type { SetDispositionResult } from "../../interactions/set-disposition.ts";
import { withContext } from "../context.ts";
import { renameFields, withFlagNames } from "../flag-names.ts";

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

/** The flag (or argument) that sets each field the interactions capability names. */
const FLAG_OF: Record<string, string> = {
  interactionId: "interaction id",
  code: "--code",
  description: "--description",
  agentId: "--agent",
  timestamp: "--timestamp",
  etag: "--etag",
};

export function registerInteractionCommands(program: Command): void {
  const interactions = program
    .command("interactions")
    .description("closed interactions and their dispositions (optimistic locking with ETags)");

  interactions
    .command("get")
    .description("show an interaction, its dispositions and its current ETag")
    .argument("<id>", "interaction id")
    .action(
      withContext(async (ctx, id: string) => {
        const problem = interactionIdProblem(id);
        if (problem) throw renameFields(new InputError(problem), FLAG_OF);
        await ctx.withClient(async (client) => {
          const { interaction, etag } = await withFlagNames(FLAG_OF, () => client.interactions.get(id));
          ctx.print({ id: interaction.id, etag, dispositions: interaction.dispositions }, () =>
            [
              `interaction ${interaction.id}  etag ${etag}`,
              ...interaction.dispositions.map(
                (d) => `  ${d.code}  ${d.description}  agent=${d.agentId}  ${d.timestamp}`,
              ),
            ].join("\n"),
          );
        });
      }),
    );

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
    .action(
      withContext(async (ctx, id: string, options: SetOptions) => {
        const timestamp = options.timestamp ?? clockNowDate().toISOString();
        const input = {
          code: options.code ?? "",
          description: options.description ?? "",
          agentId: options.agent ?? "",
          timestamp,
          ...(options.etag === undefined ? {} : { etag: options.etag }),
        };
        // Everything checkable without CXone first: bad input never opens a connection.
        const problems = setDispositionProblems(id, input);
        if (problems.length > 0) throw renameFields(new InputError(problems), FLAG_OF);

        await withFlagNames(FLAG_OF, () =>
          ctx.withClient(async (client) => {
            try {
              const result = await client.interactions.setDisposition(id, input);
              ctx.print({ ok: true, ...result, metrics: client.interactions.metrics.snapshot() }, () =>
                human(result),
              );
            } catch (error) {
              if (ctx.json) {
                const described =
                  error instanceof InputError
                    ? { name: error.name, problems: (renameFields(error, FLAG_OF) as InputError).problems }
                    : error instanceof CxoneError
                      ? error.toJSON()
                      : { name: "Error", message: String(error) };
                ctx.print(
                  {
                    ok: false,
                    interactionId: id,
                    error: described,
                    metrics: client.interactions.metrics.snapshot(),
                  },
                  "",
                );
              }
              throw error;
            }
          }),
        );
      }),
    );
}
