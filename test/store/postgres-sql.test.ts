import { describe, expect, it } from "vitest";
import { passwordOf, redactUrl, toPositional } from "../../src/core/store/postgres-db.ts";

/** The PostgreSQL driver's pure helpers: placeholders and URLs shown without their password. */
describe("postgres driver helpers", () => {
  it("numbers `?` placeholders in order, leaving quoted text and identifiers alone", () => {
    expect(toPositional("SELECT * FROM t WHERE a = ? AND b IN (?, ?)")).toBe(
      "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)",
    );
    expect(toPositional(`SELECT '?', "we?ird" FROM t WHERE c = ? AND d = 'it''s ?'`)).toBe(
      `SELECT '?', "we?ird" FROM t WHERE c = $1 AND d = 'it''s ?'`,
    );
  });

  it("shows a URL without its password, and knows the password to scrub", () => {
    expect(redactUrl("postgres://cxo:s3cret-pw@db:5432/cxo")).toBe("postgres://cxo:***@db:5432/cxo");
    expect(redactUrl("postgres://db/cxo")).toBe("postgres://db/cxo");
    expect(passwordOf("postgres://cxo:s3cret%2Fpw@db/cxo")).toBe("s3cret/pw");
    expect(passwordOf("postgres://db/cxo")).toBeUndefined();
  });
});
