/**
 * The Node.js this package runs on (package.json `engines`): 22.13 or newer, for the built-in
 * `node:sqlite` and the rest. One check for every front door: the CLI prints its answer and exits
 * 2; the SDK's entry points throw it (src/sdk/require-node.ts) before a module that needs the
 * newer Node is loaded. Plain enough for any Node to run: no import, no newer syntax.
 */
export const MINIMUM_NODE = "22.13";

/**
 * Why `who` cannot run on this Node (one line), or undefined when it can: `version` is a
 * `process.versions.node` string.
 */
export function unsupportedNode(who: string, version: string = process.versions.node): string | undefined {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  const [needMajor = 0, needMinor = 0] = MINIMUM_NODE.split(".").map(Number);
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return undefined;
  return `${who} needs Node.js ${MINIMUM_NODE} or newer (this is v${version}); install a current Node.js LTS.`;
}
