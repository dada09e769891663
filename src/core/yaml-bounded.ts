/**
 * YAML parsing with bounds, in linear time. The yaml library's duplicate-key check compares
 * every key of a mapping with every other (quadratic): a profile of 80,000 keys took over a
 * minute and a 1 MB campaign spec over 90 s (issue 51 item 6). Here:
 *
 * 1. a linear pre-scan of the lexer's tokens refuses, before anything is built, a document
 *    holding more keys, aliases or flow nesting than any real input (YAML_LIMITS);
 * 2. the document is parsed with the library's check off (`uniqueKeys: false`), and duplicate
 *    keys are found in one pass with a set per mapping (a duplicate is still an error, naming
 *    the key and its line), as is block nesting deeper than the limit;
 * 3. aliases are expanded with the library's own bound (`maxAliasCount`).
 *
 * The project's largest real inputs (specs, configs, profiles, scenarios, maps) hold a few hundred
 * keys; 20,000 parse in about a second on a loaded machine.
 */
export const YAML_LIMITS = {
  /** Mapping keys in one document. */
  keys: 20_000,
  /** Nesting of collections. */
  depth: 64,
  /** Alias nodes (`*name`) in one document; also the expansion bound. */
  aliases: 100,
} as const;

const lineOf = (text: string, offset: number): number => {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line += 1;
  return line;
};

/** Parses one YAML document (which also reads JSON) within YAML_LIMITS; throws an Error saying what. */
export function parseYamlBounded(yaml: typeof import("yaml"), text: string): unknown {
  let keys = 0;
  let aliases = 0;
  let flow = 0;
  for (const token of new yaml.Lexer().lex(text)) {
    switch (yaml.CST.tokenType(token)) {
      case "map-value-ind":
      case "explicit-key-ind":
        keys += 1;
        if (keys > YAML_LIMITS.keys)
          throw new Error(
            `the document holds more than ${YAML_LIMITS.keys.toLocaleString("en-US")} keys, the most an input may hold: nothing was parsed`,
          );
        break;
      case "alias":
        aliases += 1;
        if (aliases > YAML_LIMITS.aliases)
          throw new Error(
            `the document holds more than ${YAML_LIMITS.aliases} aliases (*name), the most an input may hold: nothing was parsed`,
          );
        break;
      case "flow-map-start":
      case "flow-seq-start":
        flow += 1;
        if (flow > YAML_LIMITS.depth)
          throw new Error(`the document nests deeper than ${YAML_LIMITS.depth} levels: nothing was parsed`);
        break;
      case "flow-map-end":
      case "flow-seq-end":
        flow -= 1;
        break;
      default:
    }
  }
  const doc = yaml.parseDocument(text, { uniqueKeys: false });
  const first = doc.errors[0];
  if (first) throw first;
  const stack: Array<{ node: unknown; depth: number }> = [{ node: doc.contents, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (!yaml.isCollection(node)) continue;
    if (depth > YAML_LIMITS.depth)
      throw new Error(`the document nests deeper than ${YAML_LIMITS.depth} levels`);
    if (yaml.isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (yaml.isScalar(key)) {
          const id = `${typeof key.value}:${String(key.value)}`;
          if (seen.has(id))
            throw new Error(
              `duplicate key "${String(key.value)}" at line ${lineOf(text, key.range?.[0] ?? 0)}: map keys must be unique`,
            );
          seen.add(id);
        } else stack.push({ node: key, depth: depth + 1 });
        stack.push({ node: pair.value, depth: depth + 1 });
      }
    } else for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
  }
  return doc.toJS({ maxAliasCount: YAML_LIMITS.aliases });
}
