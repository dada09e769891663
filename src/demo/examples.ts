import { fileURLToPath } from "node:url";

/** Files under the package's examples/ folder, wherever the demo is started from. */
export function examplePath(name: string): string {
  return fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));
}
