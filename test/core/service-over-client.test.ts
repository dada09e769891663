import ts from "typedoc-typescript";
import { describe, expect, it } from "vitest";
import { srcModules, srcText } from "../../scripts/source-tree.ts";

// `cxo serve` is an entry point (DESIGN.md): its loops run over the client's methods, which carry
// the SDK's signal, deadline, closed-guard and error codes, as the autopilot does
// (test/core/autopilot-over-client.test.ts). A read of the client's raw port or HTTP core, or a
// call of `runtimeOf(`, goes round all of that. This scan counts them per module of src/service
// from the syntax tree, against a list that only shrinks.
const SERVICE = "service/";

/**
 * What each module may still read of the client's internals, and why. A module above its count,
 * or not listed, fails naming each site; a module below its count fails too, asking for the
 * lower number, so the list says what is true.
 */
const ALLOWED: Record<string, { count: number; why: string }> = {
  // Plumbing, not the service's loops: the HTTP core under the tenant's client, which no public
  // client method answers (its rate limits and events), and the entry point that opens it.
  "tenant-runtime.ts": {
    count: 3,
    why: "client.core.limits and client.core.tenant: the tenant's campaigns, analytics and outcomes limits shared through the store with a CLI beside the service (shareRateBudget); client.core.http.on: the HTTP events CxoneStatus learns reachability and token state from for /api/health, never a request",
  },
  "background-reads.ts": {
    count: 1,
    why: "client.core.limits: the campaigns group's free budget, read before a read that can wait (the idle watch's diagnoses, the consent watcher's callback sweep)",
  },
  "start-service.ts": {
    count: 2,
    why: "internalsOf: startService is handed public clients (one, or one per tenant) and opens each once for its tenant runtime, which shares its HTTP core (above)",
  },
};

/** A receiver that is the client: named, or ending in, `client` (`client`, `loop.client`, `this.client`, `client(deps)`). */
function isClient(node: ts.Expression): boolean {
  let e: ts.Expression = node;
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e))
    e = e.expression;
  if (ts.isCallExpression(e)) return isClient(e.expression);
  const name = ts.isIdentifier(e)
    ? e.text
    : ts.isPropertyAccessExpression(e)
      ? e.name.text
      : e.kind === ts.SyntaxKind.ThisKeyword
        ? ""
        : "";
  return /client$/i.test(name);
}

const INTERNAL = new Set(["port", "core"]);

/** Each read of a client's `port`/`core` and each `runtimeOf(` call in `text`, as "file:line". */
function internalReachesIn(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    // client.port, loop.client.core, client(deps).port, client?.port, client["port"]
    if (ts.isPropertyAccessExpression(node) && INTERNAL.has(node.name.text) && isClient(node.expression))
      found.push(at(node));
    else if (
      ts.isElementAccessExpression(node) &&
      ts.isStringLiteralLike(node.argumentExpression) &&
      INTERNAL.has(node.argumentExpression.text) &&
      isClient(node.expression)
    )
      found.push(at(node));
    // const { port } = client;
    else if (
      ts.isVariableDeclaration(node) &&
      node.initializer &&
      ts.isObjectBindingPattern(node.name) &&
      isClient(node.initializer)
    ) {
      for (const element of node.name.elements) {
        const key = element.propertyName ?? element.name;
        if (ts.isIdentifier(key) && INTERNAL.has(key.text)) found.push(at(element));
      }
    }
    // runtimeOf(client), internals.runtimeOf(client), internalsOf(client)
    else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : "";
      if (name === "runtimeOf" || name === "internalsOf") found.push(at(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every module of src/service with its sites. */
function serviceReaches(): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  for (const name of srcModules(SERVICE)) {
    const file = name.slice(SERVICE.length);
    const sites = internalReachesIn(file, srcText(name));
    if (sites.length > 0) byFile.set(file, sites);
  }
  return byFile;
}

/** What is wrong with `reaches` against `allowed`: one line per module over, unlisted or under its count. */
function problemsOf(
  reaches: Map<string, string[]>,
  allowed: Record<string, { count: number; why: string }>,
): string[] {
  const problems: string[] = [];
  for (const [file, sites] of reaches) {
    const allowance = allowed[file]?.count ?? 0;
    if (sites.length > allowance)
      problems.push(
        `${file}: ${sites.length} reads of the client's internals, ${allowance} allowed (${sites.join(", ")}): call the client's methods`,
      );
  }
  for (const [file, { count }] of Object.entries(allowed)) {
    const seen = reaches.get(file)?.length ?? 0;
    if (seen < count)
      problems.push(`${file}: ${seen} reads now, ${count} allowed: lower its count to ${seen}`);
  }
  return problems;
}

describe("the service over the client", () => {
  it("the scan finds each way into the client's internals, and not a TCP port", () => {
    for (const planted of [
      "client.port.dialer.getSettings({}, signal);",
      "loop.client.port.live.read(ids, signal);",
      "this.client.port.support.unsupported('dncGroups');",
      "client(deps).port.campaigns;",
      "deps.client.core.limits.get('x');",
      "run({ client: client.port });",
      "const { port } = client;",
      "const { core: http } = loop.client;",
      "client!.port;",
      "(loop.client as never).port;",
      "client['core'];",
      "runtimeOf(client).complianceEngine();",
      "internalsOf(client).port;",
      "tenantClient.port;",
    ])
      expect(internalReachesIn("planted.ts", planted).length, planted).toBeGreaterThan(0);
    for (const fine of [
      "server.listen(options.port);",
      "const port = address.port;",
      "const { port } = options;",
      "client.dialer.settings({}, { signal });",
      "client.unsupported('dncGroups');",
      "const transport = client.portal;",
      "// client.port.dialer in a comment",
      "const myRuntimeOf = (c) => c; myRuntimeOf2(client);",
    ])
      expect(internalReachesIn("fine.ts", fine), fine).toEqual([]);
    expect(internalReachesIn("a.ts", "const x = 1;\nconst s = loop.client.port.dialer;")).toEqual(["a.ts:2"]);
  });

  it("the list's check fails on a module over its count, one not listed, and one under its count", () => {
    const reaches = new Map([
      ["pacing.ts", ["pacing.ts:3", "pacing.ts:9"]],
      ["new.ts", ["new.ts:1"]],
    ]);
    const problems = problemsOf(reaches, {
      "pacing.ts": { count: 1, why: "" },
      "old.ts": { count: 2, why: "" },
    });
    expect(problems).toEqual([
      "pacing.ts: 2 reads of the client's internals, 1 allowed (pacing.ts:3, pacing.ts:9): call the client's methods",
      "new.ts: 1 reads of the client's internals, 0 allowed (new.ts:1): call the client's methods",
      "old.ts: 0 reads now, 2 allowed: lower its count to 0",
    ]);
    expect(
      problemsOf(reaches, { "pacing.ts": { count: 2, why: "" }, "new.ts": { count: 1, why: "" } }),
    ).toEqual([]);
  });

  it("src/service reads the client's internals only where its list allows, and says why", () => {
    expect(problemsOf(serviceReaches(), ALLOWED)).toEqual([]);
    for (const [file, { why }] of Object.entries(ALLOWED)) expect(why, file).not.toBe("");
  });
});
