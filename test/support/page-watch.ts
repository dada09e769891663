import type { Locator, Page } from "playwright-core";

/**
 * What a browser test's page did, for the message of a wait that timed out: its script errors,
 * console errors, failed requests and answers of 400 or more, and the start of its visible text.
 * A bare "Timeout 10000ms exceeded" from a CI run says nothing of why the page never drew.
 */
export interface PageWatch {
  /** Script errors (the page's uncaught exceptions), in order. */
  readonly errors: string[];
  /** Waits for `locator` to be visible; on timeout, throws with what the page did. */
  visible(locator: Locator, what: string, timeoutMs?: number): Promise<void>;
  explain(): Promise<string>;
}

/** Generous on purpose: a page on a loaded 2-core CI machine can take seconds to draw. */
export const PAGE_WAIT_MS = 30_000;

export function watchPage(page: Page): PageWatch {
  const errors: string[] = [];
  const notes: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") notes.push(`console: ${message.text()}`);
  });
  page.on("requestfailed", (request) =>
    notes.push(`failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? "?"})`),
  );
  page.on("response", (response) => {
    if (response.status() >= 400) notes.push(`answer ${response.status()}: ${response.url()}`);
  });
  const explain = async (): Promise<string> => {
    const text = await page
      .evaluate("document.body ? document.body.innerText.slice(0, 600) : '(no body)'")
      .catch((error: Error) => `(could not read the page: ${error.message})`);
    return [
      `url: ${page.url()}`,
      ...errors.map((e) => `page error: ${e}`),
      ...notes.slice(-20),
      `text: ${String(text).replace(/\s+/g, " ")}`,
    ].join("\n");
  };
  return {
    errors,
    explain,
    async visible(locator, what, timeoutMs = PAGE_WAIT_MS) {
      try {
        await locator.waitFor({ state: "visible", timeout: timeoutMs });
      } catch (error) {
        throw new Error(`${what} did not show within ${timeoutMs} ms.\n${await explain()}`, { cause: error });
      }
    },
  };
}
