import type { Command } from "commander";
import { stringify } from "yaml";
import { clockNowDate } from "../../core/clock/now.ts";
import { HAR_FILE } from "../../core/http/har.ts";
import { InputError } from "../../core/input-error.ts";
import { type FileKind, kindByFirstLine } from "../../core/safe-write.ts";
import type { DoctorFact, DoctorReport, DoctorRunParams } from "../../sdk/doctor.ts";
import { withContext } from "../context.ts";
import { withFlagNames, withFlagNamesSync } from "../flag-names.ts";
import { checkOutFile, writeOutFile } from "../output-target.ts";

/**
 * `cxo doctor`: a first, safe contact with a real tenant. Read-only by default; writes only on a
 * scratch skill the user names (restored), or on a test agent's live contact (`--agent-probe`).
 * Exit 0 when every fact agrees with the settings, 1 when some differ (each with its fix).
 */
interface DoctorFlags {
  scratchSkill?: string;
  iKnow?: boolean;
  agentProbe?: boolean;
  agent?: string;
  contact?: string;
  profile?: string;
  record?: string;
  force?: boolean;
}

const FLAGS: Record<string, string> = {
  scratchSkillId: "--scratch-skill",
  iKnow: "--i-know",
  agentProbe: "--agent-probe",
  "agentProbe.agentId": "--agent",
  "agentProbe.contactId": "--contact",
};

const PROFILE_HEADER = "# cxo tenant profile";

/** A tenant profile doctor wrote: its first line is doctor's header comment. */
const PROFILE_FILE: FileKind = kindByFirstLine("tenant profile written by cxo doctor", (line) =>
  line.startsWith(PROFILE_HEADER),
);

/**
 * A file the run will write, checked before anything is sent: its directory must exist, and it
 * must not be a link, a directory, or an existing file of another kind (unless --force).
 */
function writableFile(
  flag: string,
  file: string | undefined,
  kind: FileKind,
  force: boolean,
): string | undefined {
  return file === undefined ? undefined : checkOutFile(file, flag, kind, force);
}

function paramsOf(flags: DoctorFlags): DoctorRunParams {
  if (flags.iKnow && !flags.scratchSkill)
    throw new InputError({
      field: "--i-know",
      rule: "confirms a scratch skill's use: give --scratch-skill with it",
    });
  if (!flags.agentProbe && (flags.agent || flags.contact))
    throw new InputError({
      field: flags.agent ? "--agent" : "--contact",
      rule: "is for the agent probes: add --agent-probe",
    });
  if (flags.agentProbe && (!flags.agent || !flags.contact))
    throw new InputError({
      field: flags.agent ? "--contact" : "--agent",
      rule: "--agent-probe changes a test agent's live contact: name the agent (--agent ID) and the contact (--contact ID)",
    });
  return {
    ...(flags.scratchSkill !== undefined ? { scratchSkillId: flags.scratchSkill } : {}),
    ...(flags.iKnow ? { iKnow: true } : {}),
    ...(flags.agentProbe ? { agentProbe: { agentId: flags.agent!, contactId: flags.contact! } } : {}),
  };
}

const shown = (value: unknown) =>
  value === null || value === undefined ? "—" : typeof value === "string" ? value : JSON.stringify(value);

function factLine(fact: DoctorFact): string {
  if (fact.observed === null)
    return `  ·  ${fact.id}: not checked — ${fact.note ?? "the probe could not tell"}`;
  const mark = fact.matches ? (fact.warning ? "??" : "ok") : "!!";
  const head = `  ${mark} ${fact.id}: ${shown(fact.observed)}${fact.matches ? "" : ` (assumed ${shown(fact.assumed)})`}`;
  const warned = fact.warning ? `${head}\n       warning: ${fact.warning}` : head;
  return fact.matches ? warned : `${warned}\n       fix: ${fact.fix}`;
}

function warned(report: DoctorReport): string {
  const n = report.facts.filter((f) => f.warning).length;
  return n === 0 ? "" : `; ${n} warning${n === 1 ? "" : "s"} (marked ??)`;
}

function humanReport(report: DoctorReport, files: { profile?: string; record?: string }): string {
  const differ = report.facts.filter((f) => !f.matches);
  const checked = report.facts.filter((f) => f.observed !== null);
  const lines = [
    `tenant ${report.tenantId} (API ${report.apiEndpoint}), login ${report.login}${report.role ? `, role ${report.role}` : ""}${report.timeZone ? `, zone ${report.timeZone}` : ""}`,
    `${report.area ? `area ${report.area}; ` : ""}${report.zoneNames.length} time zone names listed; skill summary ${report.summaryBehindS === null ? "current to the read" : `${report.summaryBehindS} s behind`}`,
    `login: ${report.logins.map((l) => `${l.mode} ${l.ok ? "ok" : `refused (${l.status || "no answer"})`}`).join(", ")}`,
    ...(report.refused.length > 0
      ? [
          `the role was refused: ${report.refused.join(", ")} (grant the permission, or the capabilities that use them fail)`,
        ]
      : []),
    "",
    ...["read", "scratch", "agent"].flatMap((kind) => {
      const facts = report.facts.filter((f) => f.probe === kind);
      const title =
        kind === "read"
          ? "read-only probes"
          : kind === "scratch"
            ? "scratch-skill probes (writes, restored)"
            : "agent probes (a test agent's live contact)";
      return [title, ...facts.map(factLine), ""];
    }),
    `${checked.length} of ${report.facts.length} facts checked: ${checked.length - differ.length} agree with the settings, ${differ.length} differ${warned(report)}`,
    `${report.requests} requests sent; ${report.writes.length === 0 ? "nothing written" : `${report.writes.length} writes, ${report.writes.every((w) => w.restored) ? "all restored" : `${report.writes.filter((w) => !w.restored).length} not restored (see --json)`}`}`,
  ];
  if (files.profile)
    lines.push(
      `tenant profile written to ${files.profile}: load it with CXONE_TENANT_PROFILE=${files.profile}`,
    );
  else if (differ.length > 0)
    lines.push(
      "write these findings as a tenant profile with --profile FILE, and load it with CXONE_TENANT_PROFILE=FILE",
    );
  if (files.record)
    lines.push(`traffic recorded to ${files.record} (HAR 1.2; credentials and personal data masked)`);
  return lines.join("\n");
}

export function registerDoctorCommand(program: Command): void {
  program
    .command("doctor")
    .description(
      "check what cxo assumes about NICE's production API against your tenant (read-only unless --scratch-skill or --agent-probe)",
    )
    .option(
      "--scratch-skill <id>",
      "a skill the write probes may change and restore (outbound, stopped, no calling lists)",
    )
    .option("--i-know", "use the scratch skill even if it is running or has calling lists")
    .option(
      "--agent-probe",
      "also probe a test agent's live contact (changes its disposition and tags; logs the test agent's joined session off)",
    )
    .option("--agent <id>", "the test agent (with --agent-probe)")
    .option("--contact <id>", "a live contact of the test agent (with --agent-probe)")
    .option(
      "--profile <file>",
      "write the findings as a tenant profile (YAML; load it with CXONE_TENANT_PROFILE)",
    )
    .option(
      "--record <file.har>",
      "record every request and answer as HAR 1.2 (credentials and personal data masked)",
    )
    .option("--force", "replace a --profile or --record file that is not one cxo wrote")
    .action(
      withContext(async (ctx, flags: DoctorFlags) => {
        const params = paramsOf(flags);
        const force = flags.force === true;
        const profileFile = writableFile("--profile", flags.profile, PROFILE_FILE, force);
        const recordFile = writableFile("--record", flags.record, HAR_FILE, force);
        const [{ HarRecorder }, { packageVersion }] = await Promise.all([
          import("../../core/http/har.ts"),
          import("../../core/package-version.ts"),
        ]);
        const recorder = recordFile
          ? new HarRecorder({ name: "cxone-outbound", version: packageVersion() })
          : undefined;
        try {
          const report = await ctx.withClient(
            (client) => withFlagNames(FLAGS, () => client.doctor.run(params)),
            recorder ? { onExchange: recorder.record } : {},
          );
          if (profileFile) writeOutFile(profileFile, profileYaml(report), "--profile", PROFILE_FILE, force);
          ctx.print(report, () =>
            humanReport(report, {
              ...(profileFile ? { profile: flags.profile } : {}),
              ...(recordFile ? { record: flags.record } : {}),
            }),
          );
          if (!report.matches) process.exitCode = 1;
        } finally {
          // Written whatever happened: a run that failed is what a bug report needs most.
          if (recorder)
            withFlagNamesSync({ force: "--force" }, () =>
              recorder.write(recordFile!, { field: "--record", force }),
            );
        }
      }),
    );
}

function profileYaml(report: DoctorReport): string {
  return [
    `${PROFILE_HEADER}: what this tenant was seen to do (docs/platforms.md, "Tenant profile").`,
    `# Written by \`cxo doctor\` on ${clockNowDate().toISOString()}. Load it in cxo with`,
    "# CXONE_TENANT_PROFILE=FILE (or cxone.tenantProfile), and in the production emulator with",
    "# `cxo emulator start --platform cxone --profile FILE`.",
    stringify(report.profile),
  ].join("\n");
}
