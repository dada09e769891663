import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { type EndpointFact, FIELD_TYPES, type FieldType } from "./endpoints.ts";

/**
 * JSON Schemas from the conformance table: for a request (its query as sent, text; its JSON
 * body) and for an answer (the fields the adapter relies on must be there, in the sources'
 * types). A request field the table does not list fails; an answer may carry more.
 */
type Schema = Record<string, unknown>;
type Types = FieldType | readonly FieldType[];

const QUERY_TEXT: Record<FieldType, Schema> = {
  integer: { type: "string", pattern: "^-?\\d+$" },
  number: { type: "string", pattern: "^-?\\d+(\\.\\d+)?$" },
  boolean: { type: "string", pattern: "^(true|false)$" },
  "date-time": { type: "string", format: "date-time" },
  string: { type: "string" },
  object: {},
  array: {},
  any: {},
};
const JSON_VALUE: Record<FieldType, Schema> = {
  integer: { type: "integer" },
  number: { type: "number" },
  boolean: { type: "boolean" },
  "date-time": { type: "string", format: "date-time" },
  string: { type: "string" },
  object: { type: "object" },
  array: { type: "array" },
  any: {},
};

function typeOf(fact: EndpointFact, path: string): Types {
  const name =
    path
      .replace(/\[\]$/, "")
      .split(/\.|\[\]\./)
      .at(-1) ?? path;
  return fact.types?.[path] ?? FIELD_TYPES[name] ?? "any";
}

function schemaOf(types: Types, table: Record<FieldType, Schema>): Schema {
  const list = typeof types === "string" ? [types] : types;
  return list.length === 1 ? (table[list[0] as FieldType] as Schema) : { anyOf: list.map((t) => table[t]) };
}

interface Node {
  leaf?: Types;
  array?: boolean;
  open?: boolean;
  children: Map<string, Node>;
}

/** Dotted paths (`a.b`, `list[].c`, `x.*`) as a tree of objects and arrays. */
function treeOf(fact: EndpointFact, paths: readonly string[]): Node {
  const root: Node = { children: new Map() };
  for (const path of paths) {
    let node = root;
    let sofar = "";
    for (const raw of path.split(".")) {
      if (raw === "*") {
        node.open = true;
        break;
      }
      const array = raw.endsWith("[]");
      const key = array ? raw.slice(0, -2) : raw;
      sofar = sofar ? `${sofar}.${raw}` : raw;
      let child = node.children.get(key);
      if (!child) {
        child = { children: new Map() };
        node.children.set(key, child);
      }
      if (array) child.array = true;
      child.leaf = typeOf(fact, sofar);
      node = child;
    }
  }
  return root;
}

function nodeSchema(node: Node, strict: boolean, required: boolean): Schema {
  const object = (): Schema => ({
    type: "object",
    properties: Object.fromEntries([...node.children].map(([k, c]) => [k, nodeSchema(c, strict, required)])),
    ...(required ? { required: [...node.children.keys()] } : {}),
    ...(strict && !node.open ? { additionalProperties: false } : {}),
  });
  const inner = node.children.size > 0 || node.open ? object() : schemaOf(node.leaf ?? "any", JSON_VALUE);
  return node.array ? { type: "array", items: inner } : inner;
}

/** The body's listed fields, and the typed ones inside an open block (`generalSettings.*`). */
function bodyPaths(fact: EndpointFact): string[] {
  const roots = new Set(fact.body.map((path) => path.split(/\.|\[\]/)[0]));
  const typed = Object.keys(fact.types ?? {}).filter(
    (path) => path.includes(".") && roots.has(path.split(".")[0]),
  );
  return [...new Set([...fact.body, ...typed])];
}

/** The request's schema: `query` (text values, only listed names) and `body` (only listed fields). */
export function requestSchema(fact: EndpointFact): Schema {
  return {
    type: "object",
    properties: {
      query: {
        type: "object",
        properties: Object.fromEntries(
          fact.query.map((name) => [name, schemaOf(typeOf(fact, name), QUERY_TEXT)]),
        ),
        additionalProperties: false,
      },
      body: fact.body.length === 0 ? { not: {} } : nodeSchema(treeOf(fact, bodyPaths(fact)), true, false),
    },
  };
}

/** The answer's schema: every field the adapter relies on is there, in its type. */
export function responseSchema(fact: EndpointFact): Schema {
  return nodeSchema(treeOf(fact, fact.response), false, true);
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const compiled = new Map<string, { request: ValidateFunction; response: ValidateFunction }>();

function validators(fact: EndpointFact) {
  const key = `${fact.method} ${fact.path}`;
  let entry = compiled.get(key);
  if (!entry) {
    entry = { request: ajv.compile(requestSchema(fact)), response: ajv.compile(responseSchema(fact)) };
    compiled.set(key, entry);
  }
  return entry;
}

const describe = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((e) =>
    e.keyword === "additionalProperties"
      ? `${e.instancePath || "/"} has ${(e.params as { additionalProperty: string }).additionalProperty}, which no source lists`
      : `${e.instancePath || "/"} ${e.message ?? "is invalid"}`,
  );

/** Problems of one request against its entry (empty when it conforms). */
export function requestProblems(fact: EndpointFact, request: { query?: unknown; body?: unknown }): string[] {
  const validate = validators(fact).request;
  const instance = {
    query: request.query ?? {},
    ...(request.body === undefined ? {} : { body: request.body }),
  };
  return validate(instance) ? [] : describe(validate.errors);
}

/** Problems of one answer against its entry's response fields. */
export function responseProblems(fact: EndpointFact, body: unknown): string[] {
  if (fact.response.length === 0) return [];
  const validate = validators(fact).response;
  return validate(body) ? [] : describe(validate.errors);
}
