import type { SqlDb, SqlExecutor } from "./sql.ts";

/**
 * Group commit: units of work that arrive within a few milliseconds share ONE transaction and so
 * one fsync, instead of one each. A bulk tagging run finishes hundreds of rows a second; at one
 * fsynced commit per row the disk, not CXone, set the pace (and wrote ~88 KB a row).
 *
 * What it does not weaken: `submit` resolves only once the shared transaction has COMMITTED, so
 * a caller that waits for it (the journal before running an effect, or before calling a row
 * done) has exactly the durability of its own transaction. Each unit runs inside its own
 * SAVEPOINT: a unit that throws is rolled back alone and rejects, the others still commit. If
 * the commit itself fails, every unit of the group rejects and none of them happened.
 *
 * A group starts with the first unit and closes `windowMs` later (or at `maxUnits`); units
 * arriving while a group commits form the next one. `windowMs: 0` commits each unit on its own
 * (one transaction per unit, as before), which the benchmark uses as its baseline.
 *
 * Callers that will submit units may say so (`enter()`, then the returned `leave()`): once every
 * one of them has a unit in the open group, nobody is left to join it, and it closes without
 * waiting out the window. A lone operation (one `cxo tag`) then never waits for company.
 */
export interface GroupCommitOptions {
  /** How long a group stays open for more units after its first (default 10 ms). */
  windowMs?: number;
  /** A group commits at once when it holds this many units (default 256). */
  maxUnits?: number;
}

interface Unit {
  work: (tx: SqlExecutor) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type UnitResult = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommitter {
  private readonly db: SqlDb;
  private readonly windowMs: number;
  private readonly maxUnits: number;
  private open: Unit[] = [];
  private timer: NodeJS.Timeout | undefined;
  private committing: Promise<void> = Promise.resolve();
  private groups = 0;
  private units = 0;
  private participants = 0;

  constructor(db: SqlDb, options: GroupCommitOptions = {}) {
    this.db = db;
    this.windowMs = Math.max(0, options.windowMs ?? 10);
    this.maxUnits = Math.max(1, options.maxUnits ?? 256);
  }

  /** False when every unit commits on its own (`windowMs: 0`). */
  get grouping(): boolean {
    return this.windowMs > 0;
  }

  /** Runs `work` in a shared transaction; resolves with its result once that has committed. */
  submit<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    if (this.windowMs === 0) return this.db.transaction(work);
    return new Promise<T>((resolve, reject) => {
      this.open.push({ work, resolve: resolve as (value: unknown) => void, reject });
      const nobodyElse = this.participants > 0 && this.open.length >= this.participants;
      if (nobodyElse || this.open.length >= this.maxUnits) this.close();
      else this.timer ??= setTimeout(() => this.close(), this.windowMs);
    });
  }

  /** Declares a caller that will submit units until it calls the returned `leave`. */
  enter(): () => void {
    this.participants += 1;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.participants -= 1;
      // The ones still here may all be waiting in the open group now.
      if (this.participants > 0 && this.open.length >= this.participants) this.close();
    };
  }

  /** Transactions committed and units they carried (for tests and the benchmark). */
  stats(): { groups: number; units: number } {
    return { groups: this.groups, units: this.units };
  }

  /** Waits until every unit submitted so far has committed (or failed). */
  async flush(): Promise<void> {
    if (this.open.length > 0) this.close();
    await this.committing;
  }

  private close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const group = this.open;
    this.open = [];
    // Groups commit one after another, in order: a later group never overtakes an earlier one.
    this.committing = this.committing.then(() => this.commit(group));
  }

  private async commit(group: Unit[]): Promise<void> {
    let results: UnitResult[];
    try {
      results = await this.db.transaction(async (tx) => {
        const out: UnitResult[] = [];
        for (const [index, unit] of group.entries()) {
          const savepoint = `group_unit_${index}`;
          await tx.run(`SAVEPOINT ${savepoint}`);
          try {
            out.push({ ok: true, value: await unit.work(tx) });
            await tx.run(`RELEASE SAVEPOINT ${savepoint}`);
          } catch (error) {
            await tx.run(`ROLLBACK TO SAVEPOINT ${savepoint}`);
            await tx.run(`RELEASE SAVEPOINT ${savepoint}`);
            out.push({ ok: false, error });
          }
        }
        return out;
      });
    } catch (error) {
      // The commit failed: nothing of the group happened.
      for (const unit of group) unit.reject(error);
      return;
    }
    this.groups += 1;
    this.units += group.length;
    for (const [index, unit] of group.entries()) {
      const result = results[index]!;
      if (result.ok) unit.resolve(result.value);
      else unit.reject(result.error);
    }
  }
}
