import { describe, expect, it } from "vitest";
import { importsOf, importTarget, srcModules } from "../../scripts/source-tree.ts";

/** The one walk the source guards read (scripts/source-tree.ts): its folder rule and its import targets. */
describe("the source tree as the guards read it", () => {
  it("srcModules takes a folder: '' or a path ending in '/'; a bare prefix (which would also take service-x.ts) throws", () => {
    expect(() => srcModules("service")).toThrow(/"service" is not a folder.*"service\/"/);
    expect(() => srcModules("core/ids.ts")).toThrow(/not a folder/);
    const service = srcModules("service/");
    expect(service.length).toBeGreaterThan(0);
    expect(service.every((file) => file.startsWith("service/"))).toBe(true);
    expect(srcModules("").length).toBe(srcModules().length);
    expect(srcModules()).toEqual(expect.arrayContaining(service));
  });

  it("importsOf resolves each relative specifier to a path inside src/, however deep the importer sits", () => {
    expect(importTarget("autopilot/x.ts", "../sdk/internals.ts")).toBe("sdk/internals.ts");
    expect(importTarget("autopilot/sub/x.ts", "../../sdk/internals.ts")).toBe("sdk/internals.ts");
    expect(importTarget("autopilot/sub/x.ts", "../sdk/internals.ts")).toBe("autopilot/sdk/internals.ts");
    expect(importTarget("client.ts", "./sdk/runtime.ts")).toBe("sdk/runtime.ts");
    const text = [
      'import type { A } from "../../platform/port.ts";',
      'export { b } from "./b.ts";',
      'const c = await import("../../core/c.ts");',
      'import "../../core/side-effect.ts";',
      'import { d } from "node:path";',
    ].join("\n");
    expect(importsOf("autopilot/sub/x.ts", text)).toEqual([
      "platform/port.ts",
      "autopilot/sub/b.ts",
      "core/c.ts",
      "core/side-effect.ts",
    ]);
  });

  it("importsOf reads code, not comments or strings, and takes the package's own name as the entry module it loads", () => {
    const text = [
      '// import { x } from "../commented.ts";',
      '/* export * from "../block.ts" */',
      "const s = 'from \"../in-string.ts\"';",
      'import { portOf } from "cxone-outbound/internal";',
      'import { createClient } from "cxone-outbound";',
      'import type { Emulator } from "cxone-outbound/emulator";',
      'import { pkg } from "cxone-outbound/nowhere";',
      'type G = import("../g.ts").G;',
    ].join("\n");
    expect(importsOf("autopilot/x.ts", text)).toEqual([
      "internal.ts",
      "index.ts",
      "emulator/index.ts",
      "cxone-outbound/nowhere",
      "g.ts",
    ]);
  });
});
