import type { SegmentedContact } from "./segmented-contact.ts";

/**
 * A segmented contact's NDJSON line, byte for byte what `JSON.stringify(row)` and a newline
 * give, made in two parts: the contact's own fields, stringified for each row, and the verdict
 * part (`"allowed"` to `"nextAllowedAt"`), which most rows share with many others: the
 * segmenter hands out the same frozen reasons, zones and states lists for the same verdict.
 * That part is encoded once per combination and copied as bytes. Stringifying whole rows was
 * ~2.6 s of a million-contact scrub, the largest cost after decoding the contacts.
 *
 * A row whose lists are not frozen (a reason naming its own number, a row built elsewhere) is
 * stringified whole: only lists that cannot change may be known by their identity.
 */
export class RowJson {
  private listIds = new WeakMap<readonly unknown[], number>();
  private nextListId = 0;
  private readonly instantIds = new Map<string | null, number>();
  private readonly tails = new Map<number, Buffer>();

  /** The line's bytes after the contact's fields (from `,"allowed"` to the newline), or undefined. */
  tail(row: SegmentedContact): Buffer | undefined {
    const reasons = this.listId(row.reasons);
    const zones = this.listId(row.zones);
    const states = this.listId(row.states);
    if (reasons === undefined || zones === undefined || states === undefined) return undefined;
    let instant = this.instantIds.get(row.nextAllowedAt);
    if (instant === undefined) {
      instant = this.instantIds.size;
      this.instantIds.set(row.nextAllowedAt, instant);
    }
    if (instant >= ID_LIMIT) {
      this.forget();
      return undefined;
    }
    // 4 × 12 bits + 1: exact in a double.
    const key =
      (((reasons * ID_LIMIT + zones) * ID_LIMIT + states) * ID_LIMIT + instant) * 2 + (row.allowed ? 1 : 0);
    let tail = this.tails.get(key);
    if (!tail) {
      const text = JSON.stringify({
        allowed: row.allowed,
        reasons: row.reasons,
        zones: row.zones,
        states: row.states,
        nextAllowedAt: row.nextAllowedAt,
      });
      tail = Buffer.from(`,${text.slice(1)}\n`);
      this.tails.set(key, tail);
    }
    return tail;
  }

  /** The contact's fields: `{"id":…,"consentCall":…` without the closing brace. */
  head(row: SegmentedContact): string {
    return `{"id":${JSON.stringify(row.id)},"firstName":${text(row.firstName)},"lastName":${text(row.lastName)},"phone":${JSON.stringify(row.phone)},"timeZone":${text(row.timeZone)},"state":${text(row.state)},"consentCall":${row.consentCall}`;
  }

  /** A frozen list's id (its items frozen too), or undefined for a list that could change. */
  private listId(list: readonly unknown[]): number | undefined {
    let id = this.listIds.get(list);
    if (id !== undefined) return id;
    if (!Object.isFrozen(list)) return undefined;
    for (const item of list)
      if (typeof item === "object" && item !== null && !Object.isFrozen(item)) return undefined;
    if (this.nextListId >= ID_LIMIT) {
      this.forget();
      return undefined;
    }
    id = this.nextListId++;
    this.listIds.set(list, id);
    return id;
  }

  /** All ids and encodings go together, so no key can mean two things. */
  private forget(): void {
    this.listIds = new WeakMap();
    this.nextListId = 0;
    this.instantIds.clear();
    this.tails.clear();
  }
}

const ID_LIMIT = 4096;

const text = (value: string | null): string => (value === null ? "null" : JSON.stringify(value));
