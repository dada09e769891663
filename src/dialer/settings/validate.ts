import type { DialerPort, DialerScope } from "../../platform/ports/dialer.ts";
import type { DialerConfig } from "../config.ts";
import { type Finding, type LocalCheckResult, localChecks } from "./local-checks.ts";
import { settingsOf } from "./settings-file.ts";

/**
 * Local checks first; CXone's policy validation only when they pass (a config already known to
 * break a rule is not sent anywhere). Every finding of both is listed, each with its source.
 */
export interface ValidationReport {
  ok: boolean;
  violations: Finding[];
  warnings: Finding[];
  figures: LocalCheckResult["figures"];
  server: { status: "PASS" | "FAIL"; checksPerformed: string[] } | null;
  /** Why CXone was not asked (local violations), or null. */
  serverSkipped: string | null;
}

export async function validateConfig(
  config: DialerConfig,
  port: Pick<DialerPort, "validatePolicy">,
  signal?: AbortSignal,
  scope: DialerScope = {},
): Promise<ValidationReport> {
  const local = localChecks(config);
  if (local.violations.length > 0) {
    return {
      ok: false,
      violations: local.violations,
      warnings: local.warnings,
      figures: local.figures,
      server: null,
      serverSkipped: "local violations: nothing was sent to CXone",
    };
  }
  const server = await port.validatePolicy(
    { settings: settingsOf(config), carrierTrunks: config.carrier.trunks, ...scope },
    signal,
  );
  const fromServer = (f: { code: string; field: string | null; message: string }): Finding => ({
    field: f.field ?? "(settings)",
    rule: f.code,
    message: f.message,
    value: null,
    // A platform without a policy service answers from its adapter's local rules, labelled so.
    source: f.code.startsWith("local:") ? "local" : "server",
  });
  const violations = server.violations.map(fromServer);
  // A server that says FAIL without saying why is still a FAIL.
  if (server.status === "FAIL" && violations.length === 0)
    violations.push({
      field: "(settings)",
      rule: "SERVER_FAIL",
      message: "CXone's policy validation failed",
      value: null,
      source: "server",
    });
  return {
    ok: violations.length === 0,
    violations,
    warnings: [...local.warnings, ...server.warnings.map(fromServer)],
    figures: local.figures,
    server: { status: server.status, checksPerformed: server.checksPerformed },
    serverSkipped: null,
  };
}
