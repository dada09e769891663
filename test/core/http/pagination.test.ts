import { describe, expect, it } from "vitest";
import {
  ListingTooLargeError,
  type Page,
  paginateByPageNumber,
  paginateByToken,
  RepeatedPageTokenError,
} from "../../../src/core/http/pagination.ts";

function tokenPages(total: number, size: number) {
  const calls: Array<string | undefined> = [];
  const fetchPage = async (token: string | undefined): Promise<Page<number>> => {
    calls.push(token);
    const start = token ? Number(token.slice(1)) : 0;
    const items = Array.from({ length: Math.min(size, total - start) }, (_, i) => start + i);
    const next = start + size < total ? `p${start + size}` : null;
    return { items, nextToken: next };
  };
  return { calls, fetchPage };
}

describe("token pagination", () => {
  it("yields every item once, across pages, and stops on the last page", async () => {
    const { calls, fetchPage } = tokenPages(25, 10);
    const items = await paginateByToken(fetchPage).toArray();
    expect(items).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(calls).toEqual([undefined, "p10", "p20"]);
  });

  it("is lazy: reading the first items fetches only the first page", async () => {
    const { calls, fetchPage } = tokenPages(1000, 10);
    for await (const item of paginateByToken(fetchPage)) {
      if (item === 3) break;
    }
    expect(calls).toHaveLength(1);
  });

  it("exposes pages with their cursor, for checkpoints, and resumes from a token", async () => {
    const { fetchPage } = tokenPages(25, 10);
    const cursors: Array<string | number | undefined> = [];
    for await (const page of paginateByToken(fetchPage).pages()) cursors.push(page.cursor);
    expect(cursors).toEqual([undefined, "p10", "p20"]);
    const resumed = await paginateByToken(fetchPage, { startToken: "p20" }).toArray();
    expect(resumed).toEqual([20, 21, 22, 23, 24]);
  });

  it("stops on a repeated page token instead of looping forever", async () => {
    let n = 0;
    const fetchPage = async (): Promise<Page<number>> => ({
      items: [n++],
      nextToken: n > 3 ? "again" : `t${n}`,
    });
    const stream = paginateByToken(fetchPage);
    await expect(stream.toArray()).rejects.toBeInstanceOf(RepeatedPageTokenError);
  });

  it("treats an empty-string token as the end", async () => {
    const items = await paginateByToken(async () => ({ items: [1], nextToken: "" })).toArray();
    expect(items).toEqual([1]);
  });
});

describe("page-number pagination", () => {
  it("walks 1-based pages until a short page", async () => {
    const pages: number[] = [];
    const items = await paginateByPageNumber(
      async (page, size) => {
        pages.push(page);
        const start = (page - 1) * size;
        return {
          items: Array.from({ length: Math.max(0, Math.min(size, 23 - start)) }, (_, i) => start + i),
        };
      },
      { pageSize: 10 },
    ).toArray();
    expect(items).toHaveLength(23);
    expect(pages).toEqual([1, 2, 3]);
  });

  it("stops on an empty page when the total is a multiple of the page size", async () => {
    const pages: number[] = [];
    const items = await paginateByPageNumber(
      async (page) => {
        pages.push(page);
        return { items: page <= 2 ? [page, page] : [] };
      },
      { pageSize: 2 },
    ).toArray();
    expect(items).toEqual([1, 1, 2, 2]);
    expect(pages).toEqual([1, 2, 3]);
  });
});

describe("toArray", () => {
  it("stops at the limit without fetching the page after it", async () => {
    const { calls, fetchPage } = tokenPages(100, 10);
    expect(await paginateByToken(fetchPage).toArray(10)).toHaveLength(10);
    expect(calls).toEqual([undefined]);
    const byNumber: number[] = [];
    const listing = paginateByPageNumber(
      async (page, size) => {
        byNumber.push(page);
        return { items: Array.from({ length: size }, (_, i) => page * size + i) };
      },
      { pageSize: 5 },
    );
    expect(await listing.toArray(15)).toHaveLength(15);
    expect(byNumber).toEqual([1, 2, 3]);
  });

  it("without a limit, fails clearly past its cap instead of filling memory", async () => {
    const endless = paginateByPageNumber(
      async (page, size) => ({ items: Array.from({ length: size }, (_, i) => page * size + i) }),
      { pageSize: 5_000 },
    );
    await expect(endless.toArray()).rejects.toBeInstanceOf(ListingTooLargeError);
    expect(await endless.toArray(0)).toEqual([]);
  });
});
