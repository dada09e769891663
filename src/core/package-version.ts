import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const PACKAGE_MANIFEST = fileURLToPath(new URL("../../package.json", import.meta.url));

/**
 * The package's version, read from its manifest when asked (`--version`, a HAR's creator, a
 * client's User-Agent once: http/user-agent.ts, which sends `unknown` rather than fail), not at
 * every start: a command that does not print it does not depend on that file. A manifest that
 * cannot be read or parsed is named in the error (issue 54: a torn package.json said only
 * "Unexpected end of JSON input").
 */
export function packageVersion(file = PACKAGE_MANIFEST): string {
  let manifest: { version?: unknown };
  try {
    manifest = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const why =
      error instanceof SyntaxError
        ? `not JSON (${error.message})`
        : ((error as NodeJS.ErrnoException).code ?? String(error));
    throw new Error(`cannot read cxo's version from ${file}: ${why}`);
  }
  return String(manifest.version);
}
