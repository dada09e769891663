import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page, PageScreenshotOptions } from "playwright-core";

/**
 * A page's screenshot where a person will look at it: under `CXO_SCREENSHOTS` (a directory; `name`
 * may hold sub-directories), else none. No test asserts on these pictures — they are for the
 * rendering review at 1024 and 1400 px (docs/development.md) — and encoding full-page images was a
 * good part of each browser test's CPU in every run, CI's included, where nobody opens them
 * (issue 68 §6). Returns the file written, if any.
 */
export async function screenshot(
  page: Page,
  name: string,
  options: Omit<PageScreenshotOptions, "path"> = {},
): Promise<string | undefined> {
  const dir = process.env.CXO_SCREENSHOTS;
  if (!dir) return undefined;
  const file = path.resolve(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ ...options, path: file });
  return file;
}
