import ts from "typedoc-typescript";
import { describe, expect, it } from "vitest";
import { srcModules, srcText } from "../../scripts/source-tree.ts";
import { answeredOf } from "../../src/callerid/records.ts";
import { attemptOfCall, attemptOfDial, attemptOfRecord } from "../../src/compliance/evidence/sources.ts";
import { agentIdOf, agentOn, dialWasConversation } from "../../src/core/call-agent.ts";
import { countCapacityAttempts } from "../../src/strategy/capacity.ts";
import { historyAttemptOf } from "../../src/strategy/history.ts";

// "An agent was on the call" is one rule (platform/call-details.ts) for every reader: Regulation
// F's conversation in a plan's history and in the evidence, caller-ID health's answered call, the
// kept calls (test/consent/completed-calls-phones.test.ts). The copies had disagreed on CXone's
// agent 0, which a file writes as text: a history file and caller-ID health took "0" for an agent.
const CASES: Array<[unknown, boolean]> = [
  [3001, true],
  ["3001", true],
  [" 42 ", true],
  [0, false],
  ["0", false],
  ["", false],
  [null, false],
  [undefined, false],
];

const record = (agentId: unknown) =>
  ({
    id: "c1",
    campaignId: "301",
    startTime: "2026-12-07T15:00:00.000Z",
    phoneNumber: "+13125550100",
    direction: "outbound",
    ...(agentId === undefined ? {} : { agentId }),
  }) as never;

describe("an agent on the call, one rule", () => {
  it.each(CASES)("agent %j: %s", (agentId, on) => {
    expect(agentOn(agentId)).toBe(on);
    expect(agentIdOf(agentId) !== undefined).toBe(on);
  });

  it.each(CASES)("agent %j: the history, the evidence and caller-ID health agree (%s)", (agentId, on) => {
    expect(historyAttemptOf(record(agentId))?.conversation).toBe(on);
    const item = attemptOfRecord(record(agentId)) as { attempt?: { conversation: boolean } };
    expect(item.attempt?.conversation).toBe(on);
    expect(answeredOf(record(agentId))).toBe(on);
  });

  it.each(CASES)(
    "agent %j: a campaign's call and a list's dial without a disposition agree (%s)",
    (agentId, on) => {
      const call = { ...(record(agentId) as object), id: "c2", dispositionCode: undefined, raw: {} } as never;
      const fromCall = attemptOfCall(call, "301") as { attempt?: { conversation: boolean } };
      expect(fromCall.attempt?.conversation).toBe(on);
      const dial = {
        recordId: "r1",
        phone: "+13125550100",
        at: "2026-12-07T15:00:00.000Z",
        requestedAt: undefined,
        outcome: "Answered",
        disposition: undefined,
        agentId: agentId === undefined || agentId === null ? undefined : String(agentId),
        contactId: "c3",
        deliveredAsCallback: undefined,
      };
      expect(dialWasConversation(dial)).toBe(on);
      const fromDial = attemptOfDial(dial, "L1", "301") as { attempt?: { conversation: boolean } };
      expect(fromDial.attempt?.conversation).toBe(on);
    },
  );

  it("a list's dial an agent dispositioned is a conversation, whatever its agent field", () => {
    expect(dialWasConversation({ disposition: "PTP", agentId: undefined })).toBe(true);
    expect(dialWasConversation({ disposition: "PTP", agentId: "0" })).toBe(true);
  });

  it("no reader of calls writes the rule again: an agent id tested by hand, anywhere it counts calls", () => {
    // A call's agent tested by hand (compared, negated, `typeof`, a condition, an operand of && or
    // ||, a callback's answer, `Boolean(…)`): the copies that disagreed on CXone's 0. Read from the
    // syntax tree, so no spelling of the test slips by; copying the field (`agentId: r.agentId`),
    // handing it to the rule (`agentOn(r.agentId)`) or defaulting it (`?? null`) is no test.
    for (const planted of [
      "const c = a.disposition !== undefined || a.agentId !== undefined;",
      'if (typeof attempt.agentId !== "string" || attempt.agentId === "") f();',
      'const x = record.agentId === null || record.agentId === "";',
      "rows.filter((r) => r.agentId && r.phoneNumber);",
      "const on = !!call.agentId;",
      "const on = Boolean(call.agentId);",
      "if (call.agentId) f();",
      "const { agentId } = call; const on = agentId ? 1 : 0;",
      "rows.filter((r) => r.agentId);",
      'const on = call["agentId"] != null;',
      "const on = (call.agentId as string).length > 0;",
      "const on = Number(call.agentId) !== 0;",
      'const on = String(call.agentId) !== "0";',
      'const on = call.agentId?.trim() !== "";',
      "switch (call.agentId) { case 0: break; }",
      '["0", 0].includes(call.agentId);',
    ])
      expect(agentTestsIn("planted.ts", planted).length, planted).toBeGreaterThan(0);
    for (const fine of [
      "const c = dialWasConversation(a);",
      "const row = { agentId: r.agentId ?? null, on: agentOn(r.agentId) };",
      "const id = agentIdOf(call.agentId);",
      "const row = { ...(agentId !== undefined ? { agentId } : {}) };",
    ])
      expect(agentTestsIn("fine.ts", fine), fine).toEqual([]);
    const rooms = ["compliance", "consent", "strategy", "callerid", "autopilot", "outcomes", "campaigns"];
    // …and where CXone's value arrives (its 0 for "no agent").
    const offenders = [...rooms, "platform/cxone"]
      .flatMap((room) => srcModules(`${room}/`))
      .flatMap((file) => agentTestsIn(file, srcText(file)));
    expect(offenders).toEqual([]);
  });

  it("capacity: auto counts a connect and its agent's hour only for an agent on the call", async () => {
    const at = "2026-12-07T15:10:00.000Z";
    const counted = await countCapacityAttempts(
      CASES.map(([agentId]) => ({ startTime: at, agentId: agentId as string | null | undefined })) as never,
    );
    // 3001, "3001" (one agent, one hour) and " 42 ": two agents' hours; 0, "0", "", null, none: no connect.
    expect(counted).toEqual({ attempts: 8, connects: 3, agentHours: 2 });
  });
});

/** Each place `text` tests a call's agent id by hand, as "file:line: code". */
function agentTestsIn(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const isAgentRead = (node: ts.Node): boolean =>
    (ts.isPropertyAccessExpression(node) && node.name.text === "agentId") ||
    (ts.isElementAccessExpression(node) &&
      ts.isStringLiteral(node.argumentExpression) &&
      node.argumentExpression.text === "agentId") ||
    (ts.isIdentifier(node) && node.text === "agentId" && !isNameOnly(node));
  // The read as a value flows up through parentheses, `as`, `!` (non-null), `typeof`, a property
  // or method of it (`.length`, `.trim()`) and a conversion (`Number(…)`, `String(…)`).
  const CONVERSIONS = new Set(["Number", "String", "parseInt", "parseFloat"]);
  const asUsed = (node: ts.Node): ts.Node => {
    let at = node;
    for (;;) {
      const up = at.parent;
      const flows =
        ts.isParenthesizedExpression(up) ||
        ts.isAsExpression(up) ||
        ts.isNonNullExpression(up) ||
        ts.isTypeOfExpression(up) ||
        (ts.isPropertyAccessExpression(up) && up.expression === at) ||
        (ts.isCallExpression(up) && up.expression === at) ||
        (ts.isCallExpression(up) &&
          ts.isIdentifier(up.expression) &&
          CONVERSIONS.has(up.expression.text) &&
          up.arguments[0] === at);
      if (!flows) return at;
      at = up;
    }
  };
  const TESTS = new Set([
    ts.SyntaxKind.EqualsEqualsEqualsToken,
    ts.SyntaxKind.ExclamationEqualsEqualsToken,
    ts.SyntaxKind.EqualsEqualsToken,
    ts.SyntaxKind.ExclamationEqualsToken,
    ts.SyntaxKind.AmpersandAmpersandToken,
    ts.SyntaxKind.BarBarToken,
    ts.SyntaxKind.GreaterThanToken,
    ts.SyntaxKind.GreaterThanEqualsToken,
    ts.SyntaxKind.LessThanToken,
    ts.SyntaxKind.LessThanEqualsToken,
  ]);
  const isTest = (value: ts.Node): boolean => {
    const up = value.parent;
    if (ts.isBinaryExpression(up)) return TESTS.has(up.operatorToken.kind) && !isPresenceForCopy(up);
    if (ts.isPrefixUnaryExpression(up)) return up.operator === ts.SyntaxKind.ExclamationToken;
    if (ts.isConditionalExpression(up)) return up.condition === value;
    if (ts.isIfStatement(up) || ts.isWhileStatement(up) || ts.isDoStatement(up))
      return up.expression === value;
    if (ts.isArrowFunction(up)) return up.body === value;
    if (ts.isSwitchStatement(up)) return up.expression === value;
    if (ts.isCallExpression(up)) {
      if (ts.isIdentifier(up.expression)) return up.expression.text === "Boolean";
      // `[…].includes(agentId)`: a list of "no agent" values.
      return ts.isPropertyAccessExpression(up.expression) && up.expression.name.text === "includes";
    }
    return false;
  };
  const visit = (node: ts.Node): void => {
    if (isAgentRead(node) && isTest(asUsed(node))) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      found.push(`${file}:${line + 1}: ${text.split("\n")[line]?.trim()}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * `agentId !== undefined ? { agentId } : {}`: whether the field is there, to copy it as it is (a
 * record's shape), not whether an agent was on the call.
 */
function isPresenceForCopy(test: ts.BinaryExpression): boolean {
  const against = [test.left, test.right].find((side) => ts.isIdentifier(side) && side.text === "undefined");
  const kind = test.operatorToken.kind;
  if (
    !against ||
    (kind !== ts.SyntaxKind.ExclamationEqualsEqualsToken && kind !== ts.SyntaxKind.EqualsEqualsEqualsToken)
  )
    return false;
  let condition: ts.Node = test;
  while (ts.isParenthesizedExpression(condition.parent)) condition = condition.parent;
  const up = condition.parent;
  if (!ts.isConditionalExpression(up) || up.condition !== condition) return false;
  const copies = (branch: ts.Expression) =>
    ts.isObjectLiteralExpression(branch) &&
    branch.properties.some((p) => ts.isShorthandPropertyAssignment(p) && p.name.text === "agentId");
  return copies(up.whenTrue) || copies(up.whenFalse);
}

/** An identifier that names (a property, a binding, a parameter) rather than reads a value. */
function isNameOnly(node: ts.Identifier): boolean {
  const up = node.parent;
  return (
    (ts.isPropertyAccessExpression(up) && up.name === node) ||
    (ts.isPropertyAssignment(up) && up.name === node) ||
    (ts.isPropertySignature(up) && up.name === node) ||
    (ts.isPropertyDeclaration(up) && up.name === node) ||
    (ts.isBindingElement(up) && (up.name === node || up.propertyName === node)) ||
    (ts.isParameter(up) && up.name === node) ||
    (ts.isVariableDeclaration(up) && up.name === node) ||
    ts.isShorthandPropertyAssignment(up)
  );
}
