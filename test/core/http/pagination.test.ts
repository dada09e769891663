import { describe, expect, it } from "vitest";
import {
  followPageNumbers,
  ListingTooLargeError,
  type Page,
  paginateByPageNumber,
  paginateByToken,
  prefetched,
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

describe("followPageNumbers", () => {
  it("walks 1-based pages of any shape until the first short one, with index and page number", async () => {
    const asked: Array<[number, number]> = [];
    const pages = followPageNumbers(
      async (page, pageSize) => {
        asked.push([page, pageSize]);
        return { count: page < 3 ? pageSize : 2, label: `p${page}` };
      },
      { pageSize: 5 },
    );
    const seen = [];
    for await (const page of pages) seen.push([page.label, page.count, page.index, page.cursor]);
    expect(seen).toEqual([
      ["p1", 5, 0, 1],
      ["p2", 5, 1, 2],
      ["p3", 2, 2, 3],
    ]);
    expect(asked).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
    ]);
  });

  it("keeps paginateByPageNumber's pages as they were (items, index, cursor)", async () => {
    const pages = paginateByPageNumber(
      async (page, size) => ({
        items: Array.from({ length: page === 1 ? size : 1 }, (_, i) => page * 10 + i),
      }),
      { pageSize: 2 },
    ).pages();
    const seen = [];
    for await (const page of pages) seen.push(page);
    expect(seen).toEqual([
      { items: [10, 11], index: 0, cursor: 1 },
      { items: [20], index: 1, cursor: 2 },
    ]);
  });
});

describe("prefetched", () => {
  it("asks for page n+1 as soon as page n is handed out, and closes the source when the reader stops", async () => {
    const log: string[] = [];
    let closed = false;
    async function* source() {
      try {
        for (let n = 1; n <= 5; n++) {
          log.push(`fetch ${n}`);
          yield n;
        }
      } finally {
        closed = true;
      }
    }
    for await (const { page, latencyMs } of prefetched(source())) {
      expect(latencyMs).toBeGreaterThanOrEqual(0);
      await Promise.resolve(); // let the prefetch run
      log.push(`read ${page}`);
      if (page === 3) break;
    }
    expect(log).toEqual(["fetch 1", "fetch 2", "read 1", "fetch 3", "read 2", "fetch 4", "read 3"]);
    expect(closed).toBe(true);
  });

  it("surfaces a failed fetch of the next page when the reader gets to it", async () => {
    async function* source() {
      yield 1;
      throw new Error("page 2 failed");
    }
    const read: number[] = [];
    await expect(
      (async () => {
        for await (const { page } of prefetched(source())) read.push(page);
      })(),
    ).rejects.toThrow("page 2 failed");
    expect(read).toEqual([1]);
  });
});
