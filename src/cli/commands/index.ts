import type { Command } from "commander";
import { registerAccessCommands } from "./access.ts";
import { registerAuditCommands } from "./audit.ts";
import { registerCampaignContactCommands } from "./campaign-contacts.ts";
import { registerCampaignCommands } from "./campaigns.ts";
import { registerComplianceCommands } from "./compliance.ts";
import { registerConfigCommands } from "./config.ts";
import { registerDemoCommands } from "./demo.ts";
import { registerDialerSettingsCommands } from "./dialer-settings.ts";
import { registerDialerSimulatorCommands } from "./dialer-simulator.ts";
import { registerDispositionCommands } from "./dispositions.ts";
import { registerEmulatorCommands } from "./emulator.ts";
import { registerInteractionCommands } from "./interactions.ts";
import { registerOutboxCommands } from "./outbox.ts";
import { registerOutcomeCommands } from "./outcomes.ts";
import { registerServeCommands } from "./serve.ts";
import { registerStoreCommands } from "./store.ts";
import { registerTagCommands } from "./tag.ts";

/**
 * Every command group, one file each. A capability adds its file and one line here. Groups
 * whose subcommands come from two files (campaigns, dialer) are created here and handed to
 * each file, so neither redefines the group.
 */
export function registerCommands(program: Command): void {
  registerConfigCommands(program);
  registerEmulatorCommands(program);
  registerAuditCommands(program);
  registerOutboxCommands(program);
  registerStoreCommands(program);
  registerAccessCommands(program);
  registerDispositionCommands(program);
  registerTagCommands(program);
  registerInteractionCommands(program);

  const campaigns = program
    .command("campaigns")
    .description(
      "provision, segment, pause/resume and guard predictive campaigns (seed 002); on the cxone platform a campaign is a Personal Connection skill and its id is the skill id",
    );
  registerCampaignCommands(campaigns);
  registerCampaignContactCommands(campaigns);
  registerComplianceCommands(program);

  const dialer = program
    .command("dialer")
    .description(
      "predictive-dialer settings with version control, and a local capacity simulator (seed 003)",
    );
  registerDialerSettingsCommands(dialer);
  registerDialerSimulatorCommands(dialer);

  registerOutcomeCommands(program);
  registerServeCommands(program);
  registerDemoCommands(program);
}
