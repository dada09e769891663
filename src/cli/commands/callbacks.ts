import type { Command } from "commander";
import type { ScheduledCallback } from "../../platform/ports/scheduled-callbacks.ts";
import { withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";

/**
 * `cxo callbacks list|schedule|cancel`: CXone's scheduled callbacks, calls an agent of a skill
 * places at a set time outside any list (SDK group `callbacks`). Production platform only (the
 * seed API: NotSupportedError, exit 1, nothing sent). A number that is not E.164 North American,
 * a time without an offset or in the past, a number that revoked consent for the skill: exit 2,
 * nothing sent. Deleting those to revoked numbers is `cxo consent honour`'s.
 */
const FLAGS = {
  phone: "--phone",
  campaign: "--campaign",
  at: "--at",
  agent: "--agent",
  firstName: "--first-name",
  lastName: "--last-name",
  notes: "--notes",
};

interface ScheduleFlags {
  phone?: string;
  campaign?: string;
  at?: string;
  agent?: string;
  firstName?: string;
  lastName?: string;
  notes?: string;
}

const line = (c: ScheduledCallback) =>
  `${c.callbackId}  ${c.callbackAt ?? "(no time)"}  ${c.phone}  skill ${c.skillId ?? "?"}${c.agentId ? `  agent ${c.agentId}` : ""}${c.firstName || c.lastName ? `  ${[c.firstName, c.lastName].filter(Boolean).join(" ")}` : ""}`;

export function registerCallbacksCommands(program: Command): void {
  const group = program
    .command("callbacks")
    .description("CXone's scheduled callbacks: calls an agent places at a set time, outside any list");
  group
    .command("list")
    .description("pending callbacks: one skill's, one agent's, or every outbound voice skill's")
    .option("--campaign <id>", "one skill (campaign) id")
    .option("--agent <id>", "callbacks targeted at one agent")
    .action(
      withContext(async (ctx, options: { campaign?: string; agent?: string }) => {
        const callbacks = await ctx.withClient((client) =>
          withFlagNames(FLAGS, () =>
            client.callbacks
              .list({
                ...(options.campaign !== undefined ? { campaign: options.campaign } : {}),
                ...(options.agent !== undefined ? { agent: options.agent } : {}),
              })
              .toArray(),
          ),
        );
        ctx.print({ callbacks }, () =>
          callbacks.length === 0 ? "no pending callback" : callbacks.map(line).join("\n"),
        );
      }),
    );
  group
    .command("schedule")
    .description("schedule a callback (checked first: NANP number, a future time with an offset, consent)")
    .requiredOption("--phone <e164>", "the number, E.164 (+1NXXNXXXXXX)")
    .requiredOption("--campaign <id>", "the skill (campaign) whose agents place it")
    .requiredOption("--at <iso>", "when, ISO 8601 with an offset, in the future")
    .option("--agent <id>", "the agent to place it")
    .option("--first-name <text>")
    .option("--last-name <text>")
    .option("--notes <text>")
    .action(
      withContext(async (ctx, options: ScheduleFlags) => {
        const made = await ctx.withClient((client) =>
          withFlagNames(FLAGS, () =>
            client.callbacks.schedule({
              phone: options.phone as string,
              campaign: options.campaign as string,
              at: options.at as string,
              agent: options.agent,
              firstName: options.firstName,
              lastName: options.lastName,
              notes: options.notes,
            }),
          ),
        );
        ctx.print(made, `scheduled callback ${made.callbackId} at ${made.at}`);
      }),
    );
  group
    .command("cancel")
    .description("delete a pending callback")
    .argument("<callbackId>")
    .action(
      withContext(async (ctx, callbackId: string) => {
        const done = await ctx.withClient((client) =>
          withFlagNames({ callbackId: "CALLBACK_ID" }, () => client.callbacks.cancel(callbackId)),
        );
        ctx.print(
          done,
          done.result === "deleted"
            ? `deleted callback ${callbackId}`
            : `callback ${callbackId} was no longer pending in CXone (dialled, or deleted elsewhere)`,
        );
      }),
    );
}
