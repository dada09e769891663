import type { InternalClient } from "../client.ts";
import type { ConsentReport } from "../compliance/revocation-report.ts";
import { clockNowMs } from "../core/clock/now.ts";
import type { Logger } from "../core/logging/index.ts";
import { PeriodicTask } from "../core/periodic-task.ts";
import type { Store } from "../core/store/index.ts";
/**
 * What `cxo consent report` finds, on the board: every revocation of the last 30 days the report
 * calls late (honoured after its deadline), overdue (not honoured, past it) or called after (a
 * call in its scope after it), whatever its rank among the newest — the panel's own figures read
 * only the ledger's newest rows and what waits for CXone, and so said "0 overdue" beside a report
 * that found a late revocation with calls after it. The report reads calls from CXone, so it runs
 * on the leader every 15 minutes of the clock (the first a minute after start); the board reads what it kept.
 */
export const CONSENT_FINDINGS = "consent.findings";
export const FINDINGS_KEY = "last";
const WINDOW_MS = 30 * 86_400_000;

export interface ConsentFinding {
  phone: string;
  account: string | null;
  receivedAt: string;
  scope: string;
  late: boolean;
  overdue: boolean;
  callsAfter: number;
}

export interface ConsentFindings {
  /** When the report ran (the clock's time). */
  at: string;
  from: string;
  late: number;
  overdue: number;
  breached: number;
  findings: ConsentFinding[];
}

/** The report's entries that need a person: late, overdue or called after. */
export function findingsOf(report: ConsentReport, at: string): ConsentFindings {
  const findings = report.entries
    .filter((e) => e.lateBy !== undefined || e.overdue || e.callsAfter.length > 0)
    .map((e) => ({
      phone: e.phone,
      account: e.account ?? null,
      receivedAt: e.receivedAt,
      scope: e.scope,
      late: e.lateBy !== undefined,
      overdue: e.overdue,
      callsAfter: e.callsAfter.length,
    }));
  return {
    at,
    from: report.from,
    late: report.late,
    overdue: report.overdue,
    breached: report.breached,
    findings,
  };
}

export class ConsentFindingsTask extends PeriodicTask {
  private readonly client: InternalClient;
  private readonly store: Store;
  private readonly logger: Logger;

  constructor(options: { client: InternalClient; store: Store; logger: Logger; intervalMs?: number }) {
    // The first run a minute after start: a service just started (or just made leader) does not
    // open with a 30-day read of every campaign's calls.
    super(options.intervalMs ?? 15 * 60_000, { keepAlive: false, firstDelayMs: 60_000 });
    this.client = options.client;
    this.store = options.store;
    this.logger = options.logger;
  }

  protected async runOnce(signal: AbortSignal): Promise<void> {
    try {
      const nowMs = clockNowMs();
      const report = await this.client.consent.report(
        { from: new Date(nowMs - WINDOW_MS).toISOString(), to: new Date(nowMs).toISOString() },
        { signal },
      );
      await this.store.kv.set(
        CONSENT_FINDINGS,
        FINDINGS_KEY,
        findingsOf(report, new Date(nowMs).toISOString()),
      );
    } catch (error) {
      if (signal.aborted) return;
      this.logger.warn(
        { err: error },
        "consent: could not run the report for the board; trying again next run",
      );
    }
  }
}
