import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Imports a sibling capability's module if this build has it (parts of the toolkit are built in
 * parallel; the service runs without the ones that are missing). Errors inside a module that
 * exists are not hidden.
 */
export async function importIfPresent<T>(relative: string): Promise<T | undefined> {
  const url = new URL(relative, import.meta.url);
  if (!existsSync(fileURLToPath(url))) return undefined;
  return (await import(url.href)) as T;
}
