import type { Command } from "commander";
import type { TenantDiff } from "../../campaigns/compare-tenants.ts";
import { summarizeTenants, type TenantSummary } from "../../core/config/tenants.ts";
import { settingsInputWithoutTenant } from "../../core/config/tree.ts";
import { CxoError } from "../../core/cxo-error.ts";
import { InputError } from "../../core/input-error.ts";
import { scrubSecrets } from "../../core/logging/secrets.ts";
import type { DoctorReport } from "../../sdk/doctor.ts";
import { CliContext, withContext } from "../context.ts";
import { textTable } from "../text-table.ts";

/**
 * `cxo tenants list | doctor [NAME…]`: the business units of the config file's `tenants:` block
 * (docs/tenants.md). `list` reads the file only (no secret is read, none is shown: only where
 * each comes from); `doctor` runs `cxo doctor` against each named tenant, with that tenant's own
 * credentials and store, and prints one table.
 */

function configuredTenants(ctx: CliContext): TenantSummary[] {
  const { tree, configFile } = settingsInputWithoutTenant({ flags: ctx.options });
  return summarizeTenants(tree, configFile);
}

/** One tenant's doctor run, as a row: the report, or what stopped it. */
interface DoctorRow {
  tenant: string;
  platform: string;
  ok: boolean;
  /** False where doctor has nothing to check (a seed-API tenant): not a failure, `ok` stays true. */
  applies: boolean;
  /** Why doctor does not apply, when it does not. */
  note?: string;
  report: DoctorReport | null;
  error: { code: string; message: string } | null;
}

async function doctorOf(ctx: CliContext, tenant: TenantSummary): Promise<DoctorRow> {
  const own = new CliContext({ ...ctx.options, tenant: tenant.name, json: true });
  try {
    const report = await own.withClient((client) => client.doctor.run({}));
    return {
      tenant: tenant.name,
      platform: tenant.platform,
      ok: report.matches,
      applies: true,
      report,
      error: null,
    };
  } catch (error) {
    if (error instanceof InputError || (error as { name?: string }).name === "ConfigError") throw error;
    const code = error instanceof CxoError ? String((error as CxoError & { code?: string }).code) : "error";
    // Doctor checks what cxo assumes about the production API; a seed-API tenant has none of
    // those facts. Nothing failed there, so the row says so and does not make the run exit 1.
    if (code === "not_supported_by_platform")
      return {
        tenant: tenant.name,
        platform: tenant.platform,
        ok: true,
        applies: false,
        note: `does not apply: doctor checks the production API's facts, and this tenant uses the ${tenant.platform} API`,
        report: null,
        error: null,
      };
    return {
      tenant: tenant.name,
      platform: tenant.platform,
      ok: false,
      applies: true,
      report: null,
      error: { code, message: scrubSecrets((error as Error).message) },
    };
  }
}

function doctorTable(rows: DoctorRow[]): string {
  const lines = [
    ["TENANT", "PLATFORM", "BUSINESS UNIT", "FACTS CHECKED", "AGREE", "DIFFER", "REQUESTS", "RESULT"],
  ];
  for (const row of rows) {
    const report = row.report;
    const checked = report ? report.facts.filter((f) => f.observed !== null) : [];
    const differ = checked.filter((f) => !f.matches).length;
    lines.push([
      row.tenant,
      row.platform,
      report?.tenantId ?? "—",
      report ? String(checked.length) : "—",
      report ? String(checked.length - differ) : "—",
      report ? String(differ) : "—",
      report ? String(report.requests) : "—",
      report
        ? row.ok
          ? "ok"
          : "differs (cxo doctor --tenant NAME for the fixes)"
        : row.applies
          ? `failed: ${row.error?.message}`
          : `does not apply (${row.platform} API)`,
    ]);
  }
  return textTable(lines);
}

/** Shows a setting's value in a table cell: short, on one line, "—" where it is not set. */
function cell(value: unknown): string {
  if (value === undefined) return "—";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
}

function diffText(diff: TenantDiff): string {
  const lines: string[] = [];
  const paired = diff.campaigns.filter((c) => c.a && c.b).length;
  lines.push(
    `${diff.a} and ${diff.b}: ${diff.campaigns.length} campaign${diff.campaigns.length === 1 ? "" : "s"} ` +
      `(${paired} in both), ${diff.objects.a} + ${diff.objects.b} objects compared, ` +
      (diff.same
        ? "no difference"
        : `${diff.differences.length} difference${diff.differences.length === 1 ? "" : "s"}`),
  );
  if (diff.differences.length > 0) {
    lines.push("");
    lines.push(
      textTable([
        ["CAMPAIGN", "PART", "SETTING", diff.a.toUpperCase(), diff.b.toUpperCase()],
        ...diff.differences.map((d) => [d.campaign, d.part, d.setting, cell(d.a), cell(d.b)]),
      ]),
    );
  }
  const holes = diff.campaigns.filter((c) => c.unavailable.length > 0);
  if (holes.length > 0) {
    lines.push("", "not compared (the platform refused the read):");
    for (const c of holes) for (const u of c.unavailable) lines.push(`  ${c.name}: ${u}`);
  }
  return lines.join("\n");
}

export function registerTenantCommands(program: Command): void {
  const tenants = program
    .command("tenants")
    .description("the business units of the config file's tenants: block (docs/tenants.md)");

  tenants
    .command("list")
    .description(
      "the configured tenants: platform, business unit, API user, where each secret comes from, store",
    )
    .action(
      withContext((ctx) => {
        const list = configuredTenants(ctx);
        ctx.print({ tenants: list }, () =>
          list.length === 0
            ? "no tenants configured: cxo works for the one business unit of the cxone settings (docs/tenants.md)"
            : textTable([
                ["TENANT", "PLATFORM", "BUSINESS UNIT", "API USER", "SECRETS FROM", "TIME ZONE", "STORE"],
                ...list.map((t) => [
                  t.name,
                  t.platform,
                  t.tenantId ?? "—",
                  t.apiUser ?? "—",
                  Object.entries(t.secrets)
                    .map(([key, from]) => `${key}=${from}`)
                    .join(" ") || "—",
                  t.timeZone ?? "—",
                  t.store,
                ]),
              ]),
        );
      }),
    );

  tenants
    .command("doctor [names...]")
    .description("cxo doctor against each named tenant (default: every one), read-only, one table")
    .action(
      withContext(async (ctx, names: string[]) => {
        const list = configuredTenants(ctx);
        if (list.length === 0)
          throw new InputError({
            field: "tenants",
            rule: "no tenants are configured in the config file (docs/tenants.md)",
          });
        for (const name of names)
          if (!list.some((t) => t.name === name))
            throw new InputError({
              field: "names",
              rule: `${JSON.stringify(name)} is not a configured tenant (configured: ${list.map((t) => t.name).join(", ")})`,
            });
        const chosen = names.length === 0 ? list : list.filter((t) => names.includes(t.name));
        const rows: DoctorRow[] = [];
        // One after another: each tenant's requests count against its own limits anyway, and a
        // table in configuration order reads better than one in finishing order.
        for (const tenant of chosen) rows.push(await doctorOf(ctx, tenant));
        ctx.print({ tenants: rows }, () => doctorTable(rows));
        if (rows.some((row) => !row.ok)) process.exitCode = 1;
      }),
    );

  tenants
    .command("diff <a> <b>")
    .description(
      "two business units side by side: each campaign's definition and calling rules, dialer settings and disposition matrix, paired by campaign name (read-only)",
    )
    .option(
      "--campaign <name-or-id>",
      "only this campaign (repeatable; a name, or an id on either side)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--exit-code", "exit 1 when the business units differ (as git diff --exit-code)")
    .action(
      withContext(async (ctx, a: string, b: string, flags: { campaign?: string[]; exitCode?: boolean }) => {
        const list = configuredTenants(ctx);
        for (const [field, name] of [
          ["a", a],
          ["b", b],
        ] as const)
          if (!list.some((t) => t.name === name))
            throw new InputError({
              field,
              rule: `${JSON.stringify(name)} is not a configured tenant (configured: ${list.map((t) => t.name).join(", ") || "none"})`,
            });
        if (a === b)
          throw new InputError({ field: "b", rule: `must be another tenant than ${JSON.stringify(a)}` });
        const own = (name: string) => new CliContext({ ...ctx.options, tenant: name });
        const { diffTenantClients } = await import("../../sdk/tenants-diff.ts");
        const params = flags.campaign ? { campaigns: flags.campaign } : {};
        const diff = await own(a).withClient((left) =>
          own(b).withClient((right) =>
            diffTenantClients({ name: a, client: left }, { name: b, client: right }, params),
          ),
        );
        ctx.print(diff, () => diffText(diff));
        if (flags.exitCode && !diff.same) process.exitCode = 1;
      }),
    );
}
