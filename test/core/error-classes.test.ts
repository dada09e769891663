import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as sdk from "../../src/index.ts";

/**
 * Every error class the SDK can raise is exported from the package root and is a member of the
 * `SdkError` union (issue 68 §1: `DuckDbMissingError` was thrown by `strategy.learn` and was
 * neither). Found by reading the sources: a class added later is held to it too.
 */
const SRC = path.resolve(import.meta.dirname, "../../src");
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith(".ts") ? [full] : [];
  });

/** `class X extends Y` over the sources, outside the service and the emulators (their errors answer HTTP). */
const declared = new Map<string, string>();
for (const file of files(SRC)) {
  if (/\/(service|emulator)\//.test(file)) continue;
  for (const m of readFileSync(file, "utf8").matchAll(/export class (\w+) extends (\w+)/g))
    declared.set(m[1] as string, m[2] as string);
}
const isSdkErrorClass = (name: string): boolean => {
  const parent = declared.get(name);
  return parent === "CxoError" || (parent !== undefined && isSdkErrorClass(parent));
};
const classes = [...declared.keys()].filter(isSdkErrorClass);
const union = readFileSync(path.join(SRC, "errors.ts"), "utf8");
const unionBody = union.slice(
  union.indexOf("export type SdkError ="),
  union.indexOf(";", union.indexOf("export type SdkError =")),
);

describe("every CxoError subclass", () => {
  it("is found (the scan works)", () => {
    expect(classes).toContain("InputError");
    expect(classes.length).toBeGreaterThan(20);
  });

  it.each(classes)("%s is exported from the package root", (name) => {
    expect(typeof (sdk as Record<string, unknown>)[name]).toBe("function");
  });

  // CxoneError itself is the union's OtherCxoneError (an answer no subclass names).
  it.each(
    classes.filter(
      (name) => name !== "CxoneError" && ["CxoError", "CxoneError"].includes(declared.get(name) ?? ""),
    ),
  )("%s is in the SdkError union", (name) => {
    expect(unionBody).toMatch(new RegExp(`\\| ${name}\\b`));
  });
});
