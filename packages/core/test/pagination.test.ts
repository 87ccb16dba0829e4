import { describe, expect, it } from "vitest";
import {
  collectPage,
  nextFromCursorToken,
  nextFromKeyset,
  nextFromLinkHeader,
  nextFromOffset,
  paginate,
} from "../src/index.js";

describe("strategies", () => {
  it("follows rel=next in a Link header, wherever it stands", () => {
    const header =
      '<https://api.github.com/repositories/1/issues?page=1>; rel="prev", <https://api.github.com/repositories/1/issues?page=3>; rel="next", <https://api.github.com/repositories/1/issues?page=9>; rel="last"';
    expect(nextFromLinkHeader(header)).toBe("https://api.github.com/repositories/1/issues?page=3");
    expect(nextFromLinkHeader('<https://x/?page=1>; rel="first"')).toBeNull();
    expect(nextFromLinkHeader(undefined)).toBeNull();
  });

  it("ends cursor-token lists on an empty or missing token", () => {
    expect(nextFromCursorToken("dXNlcjpVMEc5V0ZYTlo=")).toBe("dXNlcjpVMEc5V0ZYTlo=");
    expect(nextFromCursorToken("")).toBeNull();
    expect(nextFromCursorToken(undefined)).toBeNull();
  });

  it("advances offsets by what came back, trusting isLast and total", () => {
    expect(nextFromOffset({ offset: 0, count: 50, pageSize: 100, isLast: false })).toBe(50);
    expect(nextFromOffset({ offset: 0, count: 50, pageSize: 100, total: 50 })).toBeNull();
    expect(nextFromOffset({ offset: 100, count: 100, pageSize: 100, isLast: true })).toBeNull();
    expect(nextFromOffset({ offset: 0, count: 40, pageSize: 100 })).toBeNull();
    expect(nextFromOffset({ offset: 0, count: 0, pageSize: 100, isLast: false })).toBeNull();
  });

  it("uses the last key for keysets, ending on a short page", () => {
    const rows = [{ id: 3 }, { id: 7 }];
    expect(nextFromKeyset(rows, (row) => row.id, 2)).toBe(7);
    expect(nextFromKeyset(rows, (row) => row.id, 3)).toBeNull();
  });
});

const items = Array.from({ length: 23 }, (_, index) => index);
const fetchPage = async (offset: number, pageSize: number) => ({
  items: items.slice(offset, offset + pageSize),
  next: offset + pageSize < items.length ? offset + pageSize : null,
});

describe("paginate", () => {
  it("walks every page once", async () => {
    const seen: number[] = [];
    for await (const page of paginate({ start: 0, pageSize: 5, fetchPage })) seen.push(...page.items);
    expect(seen).toEqual(items);
  });

  it("throws instead of stopping silently at maxPages", async () => {
    const walk = async () => {
      for await (const _page of paginate({ start: 0, pageSize: 5, fetchPage, maxPages: 2 })) {
        // reading
      }
    };
    await expect(walk()).rejects.toMatchObject({ code: "invalid_input" });
  });
});

describe("collectPage", () => {
  it("resumes exactly at any item", async () => {
    const signal = new AbortController().signal;
    const first = await collectPage({
      from: { position: 0, skip: 0, pageSize: 5 },
      limit: 8,
      fetchPage,
      signal,
      maxPages: 5,
    });
    expect(first.items).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(first.next).toEqual({ position: 5, skip: 3, pageSize: 5 });
    expect(first.origins[6]).toEqual({ position: 5, skip: 1, pageSize: 5 });
    const resumed = await collectPage({ from: first.origins[6]!, limit: 3, fetchPage, signal, maxPages: 5 });
    expect(resumed.items).toEqual([6, 7, 8]);
  });

  it("bounds the pages one call reads and says where to continue", async () => {
    const signal = new AbortController().signal;
    const sparse = async (offset: number) => ({
      items: [] as number[],
      next: offset < 100 ? offset + 1 : null,
    });
    const result = await collectPage({
      from: { position: 0, skip: 0, pageSize: 1 },
      limit: 5,
      fetchPage: sparse,
      signal,
      maxPages: 3,
    });
    expect(result.pagesRead).toBe(3);
    expect(result.items).toEqual([]);
    expect(result.next).toEqual({ position: 3, skip: 0, pageSize: 1 });
  });
});
