import { describe, expect, it } from "vitest";
import { srcModules, srcText } from "../../scripts/source-tree.ts";

/**
 * Issue 68 §3, a lint-style guard: no source file under src/service/ sends a refusal by hand.
 * Every 4xx is thrown (`AnswerError`, a schema's refusal, Fastify's own) to the one error handler
 * (error-answers.ts), which alone calls `reply.code(status)` with a status it did not write
 * down. Elsewhere a `.code(…)` names a 2xx or 3xx (or readiness's `ready ? 200 : 503`), and no
 * answer body carries an `error` field. What a route allows lives in its config: no list of
 * open or CSRF-exempt paths, and the schema compilers are set in one place.
 */
const SERVICE = "service/";
const HANDLER = "error-answers.ts";

/** The service's modules (the browser's static/ aside), each by its path inside src/service, with its text. */
const files = srcModules(SERVICE)
  .filter((file) => !file.startsWith(`${SERVICE}static/`))
  .map((file) => ({ name: file.slice(SERVICE.length), text: srcText(file) }));

describe("one error path in the service", () => {
  it("reads the service's sources", () => {
    expect(files.length).toBeGreaterThan(40);
    expect(files.map((f) => f.name)).toContain("routes/board.ts");
  });

  it("no file but the error handler sets a 4xx (or any status it computes) on a reply", () => {
    const found: string[] = [];
    for (const { name, text } of files) {
      if (name === HANDLER) continue;
      for (const match of text.matchAll(/\.(?:code|status)\(\s*([^)]+?)\s*\)/g)) {
        const argument = match[1] ?? "";
        const allowed = /^[23]\d\d$/.test(argument) || /^answer\.ready \? 200 : 503$/.test(argument);
        if (!allowed) found.push(`${name}: .code(${argument})`);
      }
      for (const match of text.matchAll(/\.send\(\s*\{\s*(?:ok:\s*false,\s*)?error\b/g))
        found.push(`${name}: ${match[0]}`);
    }
    expect(found).toEqual([]);
  });

  it("no list of open or CSRF-exempt paths beside the routes; the compilers set once", () => {
    const found: string[] = [];
    for (const { name, text } of files) {
      if (/OPEN_PATHS|CSRF_EXEMPT|openPaths/.test(text)) found.push(`${name}: a list of paths`);
      for (const match of text.matchAll(/\.set(?:Validator|Serializer)Compiler\(/g))
        found.push(`${name}: ${match[0]}`);
    }
    expect(found).toEqual([
      "schema-compilers.ts: .setValidatorCompiler(",
      "schema-compilers.ts: .setSerializerCompiler(",
    ]);
  });
});
