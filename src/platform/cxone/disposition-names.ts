import { NotFoundError, ScopeError } from "../../core/http/errors.ts";
import type { ProductionApi } from "./api.ts";
import { allItems } from "./paging.ts";
import { readSkillDispositions } from "./skill-dispositions.ts";
import { type Raw, text } from "./tolerant.ts";

/**
 * Disposition id → name for one outcome listing. A completed contact carries only
 * `primaryDispositionId` (a number like 11), while disposition maps and people speak of names
 * ("Sale"); without the names every record of an export is an unknown code. The skill's
 * dispositions are read once when the listing starts; an id they lack (a disposition since
 * removed from the skill) makes ONE read of the tenant-wide catalogue, which holds inactive
 * ones too. A few dozen entries per listing, never a request per record.
 *
 * An API user whose role may not read dispositions (403) or a skill that is gone (404) gives
 * no names rather than a failed export: the records keep their ids, listed as unknown codes.
 */
export class DispositionNames {
  private readonly api: ProductionApi;
  private readonly skillId: string | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly names = new Map<string, string>();
  private skillRead = false;
  private tenantRead = false;

  /** `skillId` absent: a tenant-wide listing, named from the tenant's dispositions alone. */
  constructor(api: ProductionApi, skillId: string | undefined, signal?: AbortSignal) {
    this.api = api;
    this.skillId = skillId;
    this.signal = signal;
  }

  /** The name of an id already resolved (see `resolve`), or undefined. */
  nameOf(id: string | undefined): string | undefined {
    return id === undefined ? undefined : this.names.get(id);
  }

  /** Makes the names of these ids known, reading what has not been read yet (at most twice per listing). */
  async resolve(ids: Iterable<string>): Promise<void> {
    if (!this.skillRead && this.skillId !== undefined) {
      const skillId = this.skillId;
      // At v12.0 for a role refused the pinned version (skill-dispositions.ts).
      await this.read(() => readSkillDispositions(this.api, skillId, this.signal));
      this.skillRead = true;
    }
    if (this.tenantRead) return;
    for (const id of ids)
      if (!this.names.has(id)) {
        await this.read(() =>
          allItems(this.api, {
            path: "/dispositions",
            endpoint: "GET /dispositions",
            group: "dispositions",
            key: "dispositions",
            signal: this.signal,
          }),
        );
        this.tenantRead = true;
        return;
      }
  }

  private async read(list: () => Promise<Raw[]>): Promise<void> {
    try {
      const items = await list();
      for (const item of items) {
        const id = text(item.dispositionId);
        const name = text(item.dispositionName)?.trim();
        if (id !== undefined && name) this.names.set(id, name);
      }
    } catch (error) {
      if (!(error instanceof NotFoundError || error instanceof ScopeError)) throw error;
    }
  }
}
