import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../src/core/html-escape.ts";

describe("escapeHtml (the one escaper of the reports and charts)", () => {
  it("turns every character that could end an element, attribute or entity into a reference", () => {
    expect(escapeHtml(`<b title="x" data-y='z'>A & B</b>`)).toBe(
      "&#60;b title=&#34;x&#34; data-y=&#39;z&#39;&#62;A &#38; B&#60;/b&#62;",
    );
  });

  it("leaves other text, accents and emoji alone", () => {
    expect(escapeHtml("Renewals — Zürich 🇨🇭 3.0%")).toBe("Renewals — Zürich 🇨🇭 3.0%");
  });
});
