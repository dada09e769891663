import { type Browser, chromium } from "playwright-core";

/**
 * Debian's chromium (installed by .ci/run) driven by playwright-core, headless, with nothing
 * phoning home. No skip: without chromium the launch fails and so does the test. Playwright
 * gives each launch a fresh temporary profile.
 */
export const CHROMIUM = "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
