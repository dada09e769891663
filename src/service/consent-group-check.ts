import type { InternalClient } from "../client.ts";
import { InputError } from "../core/input-error.ts";
import type { Logger } from "../core/logging/index.ts";
import { printable } from "../core/printable.ts";
import { consentWatchHostOf } from "../sdk/consent-watch-host.ts";

/**
 * Issue 78 §11: `consent.cxoneDncGroup` is checked when the service starts, not found out by the
 * consent watcher every run (it logged a stack trace every 5 seconds, forever). A group the
 * business unit does not have, or a group set on a platform without DNC groups, refuses the start
 * (exit 2, naming the setting). CXone not answering at start is not the setting's fault: a
 * warning, and the watcher tries every run.
 */
export async function checkConsentGroup(
  client: InternalClient,
  groupId: string | undefined,
  logger: Logger,
): Promise<void> {
  if (groupId === undefined) return warnCoverageGaps(client, logger);
  const refusal = client.unsupported("dncGroups");
  const host = consentWatchHostOf(client);
  if (refusal || !host.hasDncGroups())
    throw new InputError({
      field: "consent.cxoneDncGroup",
      rule: "is set, but this platform has no CXone DNC groups: remove it (the consent ledger applies alone)",
    });
  let known: Array<{ groupId: string; name: string }>;
  try {
    known = await host.listDncGroups();
  } catch (error) {
    logger.warn(
      { reason: error instanceof Error ? error.message : String(error) },
      "consent: could not read the CXone DNC groups to check consent.cxoneDncGroup; the watcher tries every run",
    );
    return;
  }
  if (known.some((g) => g.groupId === groupId)) return warnCoverageGaps(client, logger);
  throw new InputError({
    field: "consent.cxoneDncGroup",
    rule: `names DNC group ${printable(groupId)}, which this business unit does not have (its groups: ${
      known
        .slice(0, 20)
        .map((g) => `${g.groupId} "${printable(g.name)}"`)
        .join(", ") || "none"
    })`,
  });
}

/**
 * Issue 77 §1: a skill cxo pushed lists to that no group its revocations reach scrubs is said at
 * start, one warning per skill, and stays on the board's "Needs attention now" until it is fixed:
 * a revocation recorded while it lasts stops cxo but not CXone's dialer on that skill.
 */
async function warnCoverageGaps(client: InternalClient, logger: Logger): Promise<void> {
  try {
    const coverage = await client.consent.coverage();
    for (const gap of coverage.gaps)
      logger.warn(
        { skill: gap.skill, scope: gap.scope, reason: gap.reason },
        `consent: COVERAGE GAP on skill ${gap.skill}: CXone can dial a revoked number there`,
      );
  } catch (error) {
    logger.warn(
      { reason: error instanceof Error ? error.message : String(error) },
      "consent: could not check that the CXone DNC groups scrub every skill cxo pushes to",
    );
  }
}
