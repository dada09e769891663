import { CxoneError, ValidationError } from "../../core/http/errors.ts";
import { pathOf } from "../../core/http/http-client.ts";
import type { ProductionApi } from "./api.ts";
import { allItems } from "./paging.ts";
import { bool, isObject, listOf, num, text } from "./tolerant.ts";

/**
 * Tags by name → id (the platform attaches tags by id), read once and re-read on a miss, and
 * attaching them to a contact. An item error saying the tag is already there counts as done.
 */
export class TagCatalogue {
  private byName: Promise<Map<string, string>> | undefined;
  private readonly api: ProductionApi;
  private readonly createUnknown: boolean;

  constructor(api: ProductionApi, createUnknown: boolean) {
    this.api = api;
    this.createUnknown = createUnknown;
  }

  private load(signal?: AbortSignal): Promise<Map<string, string>> {
    this.byName ??= allItems(this.api, {
      path: "/tags",
      endpoint: "GET /tags",
      group: "dispositions",
      key: "tags",
      signal,
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
      const id =
        map.get(name.toLowerCase()) ?? (this.createUnknown ? await this.create(name, signal) : undefined);
      if (id === undefined)
        throw new ValidationError(
          `tag "${name}" does not exist in CXone (create it there, or set cxone.productionApi.createUnknownTags)`,
          { body: { error: "unknown_tag", tag: name } },
        );
      map.set(name.toLowerCase(), id);
      ids.push(id);
    }
    return ids;
  }

  private async create(name: string, signal?: AbortSignal): Promise<string> {
    const response = await this.api.request({
      method: "POST",
      path: "/tags",
      endpoint: "POST /tags",
      group: "dispositions",
      query: { tagName: name },
      ...(signal ? { signal } : {}),
    });
    const id = text((response.body as { tagId?: unknown } | undefined)?.tagId);
    if (!id) throw new CxoneError(`POST /tags: no tagId in the answer for "${name}"`);
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
