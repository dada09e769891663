import type { Command } from "commander";

/**
 * Every top-level command, one file (or two, for groups) each, loaded only when it runs: `cxo
 * --version` or `cxo compliance check` never load fastify, the emulator or the simulator. A
 * capability adds one entry here. `summary` is the line `cxo --help` lists.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  register(program: Command): Promise<void>;
  /** The command reads every command's definition (`completion`): the program defines them all when it runs. */
  readsEveryCommand?: boolean;
}

/** A group whose sub-commands come from several files (created here, so no file redefines it). */
async function group(
  program: Command,
  name: string,
  description: string,
  parts: Array<Promise<(group: Command) => void>>,
) {
  const command = program.command(name).description(description);
  for (const register of await Promise.all(parts)) register(command);
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "config",
    summary: "inspect the resolved settings",
    register: async (p) => (await import("./config.ts")).registerConfigCommands(p),
  },
  {
    name: "emulator",
    summary: "a local CXone emulator serving the seed API",
    register: async (p) => (await import("./emulator.ts")).registerEmulatorCommands(p),
  },
  {
    name: "audit",
    summary: "verify and read the hash-chained audit log",
    register: async (p) => (await import("./audit.ts")).registerAuditCommands(p),
  },
  {
    name: "outbox",
    summary: "webhook events waiting, delivered and dead-lettered",
    register: async (p) => (await import("./outbox.ts")).registerOutboxCommands(p),
  },
  {
    name: "users",
    summary: "people who sign in to the cxo serve board",
    register: async (p) => (await import("./users.ts")).registerUserCommands(p),
  },
  {
    name: "store",
    summary: "the durable store: SQLite in the data dir, or PostgreSQL",
    register: async (p) => (await import("./store.ts")).registerStoreCommands(p),
  },
  {
    name: "strategy",
    summary:
      "contact strategy: learn when contacts answer, plan attempts at the best legal hours, bench and evaluate it",
    register: async (p) => {
      (await import("./strategy.ts")).registerStrategyCommands(p);
      // bench and evaluate (issue 55 §4) join the group the learn/plan/push file created.
      const group = p.commands.find((c) => c.name() === "strategy");
      if (group) (await import("./strategy-bench.ts")).registerStrategyBenchCommands(group);
    },
  },
  {
    name: "tenants",
    summary: "the business units of the config file's tenants: block, and doctor across them",
    register: async (p) => (await import("./tenants.ts")).registerTenantCommands(p),
  },
  {
    name: "why",
    summary:
      "why is nothing dialing? a campaign's idle causes ranked, their fixes, and when its list runs dry",
    register: async (p) => (await import("./why.ts")).registerWhyCommand(p),
  },
  {
    name: "doctor",
    summary: "check what cxo assumes about the production API against your tenant (read-only by default)",
    register: async (p) => (await import("./doctor.ts")).registerDoctorCommand(p),
  },
  {
    name: "auth",
    summary: "check credentials against CXone",
    register: async (p) => (await import("./access.ts")).registerAccessCommands(p),
  },
  {
    name: "dispositions",
    summary: "disposition codes of outbound campaigns",
    register: async (p) => (await import("./dispositions.ts")).registerDispositionCommands(p),
  },
  {
    name: "tag",
    summary: "tag outbound calls with a disposition code, reason code, tags and notes (one call or a file)",
    register: async (p) => (await import("./tag.ts")).registerTagCommands(p),
  },
  {
    name: "interactions",
    summary: "closed interactions and their dispositions (optimistic locking with ETags)",
    register: async (p) => (await import("./interactions.ts")).registerInteractionCommands(p),
  },
  {
    name: "campaigns",
    summary: "provision, segment, pause/resume and guard predictive campaigns (seed 002)",
    register: (p) =>
      group(
        p,
        "campaigns",
        "provision, segment, pause/resume and guard predictive campaigns (seed 002); on the cxone platform a campaign is a Personal Connection skill and its id is the skill id",
        [
          import("./campaigns.ts").then((m) => m.registerCampaignCommands),
          import("./campaign-contacts.ts").then((m) => m.registerCampaignContactCommands),
        ],
      ),
  },
  {
    name: "compliance",
    summary:
      "calling-rules engine (TCPA + stricter state rules, called party's local time) and the internal DNC list",
    register: async (p) => (await import("./compliance.ts")).registerComplianceCommands(p),
  },
  {
    name: "touches",
    summary: "touches made elsewhere (texts, emails, another dialer's calls), counted by every cap",
    register: async (p) => (await import("./touches.ts")).registerTouchesCommands(p),
  },
  {
    name: "autopilot",
    summary:
      "the outbound day run unattended: learn, plan, push, honour, watch, re-plan held records, report",
    register: async (p) => (await import("./autopilot.ts")).registerAutopilotCommands(p),
  },
  {
    name: "callbacks",
    summary: "CXone's scheduled callbacks: list, schedule (checked first) and cancel them",
    register: async (p) => (await import("./callbacks.ts")).registerCallbacksCommands(p),
  },
  {
    name: "callerid",
    summary: "caller-ID health: outbound numbers carriers have started labelling, and what to do lawfully",
    register: async (p) => (await import("./callerid.ts")).registerCallerIdCommands(p),
  },
  {
    name: "consent",
    summary:
      "the consent ledger: revocations by every channel (agent, SMS, email, …), honoured at once, reported",
    register: async (p) => (await import("./consent.ts")).registerConsentCommands(p),
  },
  {
    name: "dialer",
    summary: "predictive-dialer settings with version control, and a local capacity simulator (seed 003)",
    register: (p) =>
      group(
        p,
        "dialer",
        "predictive-dialer settings with version control, and a local capacity simulator (seed 003)",
        [
          import("./dialer-settings.ts").then((m) => m.registerDialerSettingsCommands),
          import("./dialer-simulator.ts").then((m) => m.registerDialerSimulatorCommands),
          import("./dialer-pacing.ts").then((m) => m.registerDialerPacingCommands),
          import("./dialer-abandonment.ts").then((m) => m.registerDialerAbandonmentCommand),
        ],
      ),
  },
  {
    name: "outcomes",
    summary: "export, analyse and verify outbound call outcome records (seed 004)",
    register: async (p) => (await import("./outcomes.ts")).registerOutcomeCommands(p),
  },
  {
    name: "serve",
    summary: "dashboard, JSON API, /metrics and webhook receiver, with the background workers",
    register: async (p) => (await import("./serve.ts")).registerServeCommands(p),
  },
  {
    name: "completion",
    summary: "print the shell completion script: bash, zsh or fish",
    register: async (p) => (await import("./completion.ts")).registerCompletionCommands(p),
    readsEveryCommand: true,
  },
  {
    name: "clock",
    summary: "the time cxo reads (CXO_CLOCK, --clock) and how other processes agree with it",
    register: async (p) => (await import("./clock.ts")).registerClockCommands(p),
  },
  {
    name: "demo",
    summary: "run a whole outbound day end to end on the embedded emulator (what `npm start` does)",
    register: async (p) => (await import("./demo.ts")).registerDemoCommands(p),
  },
];
