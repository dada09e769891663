import { UnreadableAnswerError, ValidationError } from "../../core/http/errors.ts";
import { pathOf } from "../../core/http/http-client.ts";
import { InputError } from "../../core/input-error.ts";
import type { ProductionApi } from "./api.ts";
import { allItems, type CutShort } from "./paging.ts";
import { bool, isObject, listOf, num, text } from "./tolerant.ts";

/**
 * Tags by name → id (the platform attaches tags by id), read once and re-read on a miss, and
 * attaching them to a contact. An item error saying the tag is already there counts as done.
 *
 * The catalogue is a cache of names and ids only, bounded in time (TAG_CATALOGUE_TTL_MS on the
 * client's clock, like the disposition matrix): tags this client creates are added as CXone
 * answers; a tag created elsewhere is found by the re-read on a miss; one renamed or made
 * inactive elsewhere is at most that old, and CXone refuses attaching an id it no longer
 * takes (the row is then reported partial with CXone's words, never "tagged").
 */
export const TAG_CATALOGUE_TTL_MS = 5 * 60_000;

export class TagCatalogue {
  private byName: Promise<Map<string, string>> | undefined;
  private loadedAt = 0;
  private readonly api: ProductionApi;
  private readonly createUnknown: boolean;
  private readonly ignoresSkip: boolean;
  /** Set when the last read stopped before the list's end (the tenant ignores skip on /tags). */
  private cutShort: CutShort | undefined;

  /** `ignoresSkip`: the tenant profile says `/tags` ignores skip (doctor's fact): read one page. */
  constructor(api: ProductionApi, createUnknown: boolean, ignoresSkip = false) {
    this.api = api;
    this.createUnknown = createUnknown;
    this.ignoresSkip = ignoresSkip;
  }

  private load(signal?: AbortSignal): Promise<Map<string, string>> {
    const now = this.api.now();
    if (this.byName && (now - this.loadedAt >= TAG_CATALOGUE_TTL_MS || now < this.loadedAt))
      this.byName = undefined;
    if (!this.byName) {
      this.loadedAt = now;
      this.cutShort = undefined;
    }
    this.byName ??= allItems(this.api, {
      path: "/tags",
      endpoint: "GET /tags",
      group: "dispositions",
      key: "tags",
      signal,
      ignoresSkip: this.ignoresSkip,
      onCutShort: (cut) => {
        this.cutShort = cut;
      },
    }).then(
      (items) => {
        const map = new Map<string, string>();
        for (const tag of items) {
          const id = text(tag.tagId);
          const name = text(tag.tagName);
          if (id && name && bool(tag.isActive) !== false) map.set(name.toLowerCase(), id);
        }
        return map;
      },
      (error: unknown) => {
        this.byName = undefined;
        throw error;
      },
    );
    return this.byName;
  }

  async idsOf(names: readonly string[], signal?: AbortSignal): Promise<string[]> {
    if (names.length === 0) return [];
    let map = await this.load(signal);
    if (names.some((n) => !map.has(n.toLowerCase()))) {
      this.byName = undefined; // created since we read them?
      map = await this.load(signal);
    }
    const ids: string[] = [];
    for (const name of names) {
      const known = map.get(name.toLowerCase());
      // Read in part: a name not among what was read may be on a page this tenant will not give,
      // so it is neither created (a duplicate) nor called unknown.
      if (known === undefined && this.cutShort) throw notReadable(name, this.cutShort);
      const id = known ?? (this.createUnknown ? await this.create(name, signal) : undefined);
      if (id === undefined)
        throw new InputError({
          field: "tags",
          rule: `tag "${name}" does not exist in CXone (create it there, or set cxone.productionApi.createUnknownTags)`,
        });
      map.set(name.toLowerCase(), id);
      ids.push(id);
    }
    return ids;
  }

  /** Creations in flight by lower-cased name: concurrent rows with one new tag create it once. */
  private readonly creating = new Map<string, Promise<string>>();

  private create(name: string, signal?: AbortSignal): Promise<string> {
    const key = name.toLowerCase();
    let pending = this.creating.get(key);
    if (!pending) {
      pending = this.createOnce(name, signal).finally(() => this.creating.delete(key));
      this.creating.set(key, pending);
    }
    return pending;
  }

  private async createOnce(name: string, signal?: AbortSignal): Promise<string> {
    let response: Awaited<ReturnType<ProductionApi["request"]>>;
    try {
      response = await this.api.request({
        method: "POST",
        path: "/tags",
        endpoint: "POST /tags",
        group: "dispositions",
        query: { tagName: name },
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      // Another process created it first (CXone refuses a duplicate name): use that one.
      if (!(error instanceof ValidationError)) throw error;
      this.byName = undefined;
      const id = (await this.load(signal)).get(name.toLowerCase());
      if (id === undefined) throw error;
      return id;
    }
    const id = text((response.body as { tagId?: unknown } | undefined)?.tagId);
    if (!id)
      throw new UnreadableAnswerError("POST /tags", `a tagId for the tag "${name}" it was asked to create`, {
        status: response.status,
        body: response.body,
      });
    return id;
  }

  async attach(contactId: string, tagIds: readonly string[], signal?: AbortSignal): Promise<void> {
    const response = await this.api.request({
      method: "POST",
      path: pathOf`/contacts/${contactId}/tags`,
      endpoint: "POST /contacts/{contactId}/tags",
      group: "dispositions",
      body: { tags: tagIds.map((id) => ({ tagId: num(id) ?? id })) },
      // Attaching the same tag twice changes nothing: safe to retry.
      idempotencyKey: true,
      ...(signal ? { signal } : {}),
    });
    const body = isObject(response.body) ? response.body : {};
    const results = listOf(body, "tagResults");
    const failed = results.filter(
      (r) => bool(r.success) === false && !/already|duplicate|exists/i.test(text(r.error) ?? ""),
    );
    if (failed.length > 0) {
      throw new ValidationError(
        `POST /contacts/${contactId}/tags: ${failed.map((r) => `tag ${text(r.tagId)}: ${text(r.error) ?? "refused"}`).join("; ")}`,
        { status: response.status, endpoint: "POST /contacts/{contactId}/tags", body },
      );
    }
  }
}

/** A tag not among the part of `/tags` this tenant lets us read: the tenant fact, and its fix. */
function notReadable(name: string, cut: CutShort): InputError {
  return new InputError({
    field: "tags",
    rule: `tag "${name}" is not among the ${cut.items} tags CXone returned: this tenant ignores skip on ${cut.endpoint} (tenant fact ignoreSkip: true${cut.by === "profile" ? ", from the tenant profile" : ", seen as a page returned twice"}), so only its first page can be read. Fix: make the tag one of that page (deactivate tags no longer used in CXone, Admin → Tags, until every active tag fits in one page), or tag without it`,
  });
}
