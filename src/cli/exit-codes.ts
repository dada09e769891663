import { ConfigError } from "../core/config/errors.ts";
import { ConnectionMissingError } from "../core/connection-missing-error.ts";
import { AuthError, CxoneError, NotFoundError } from "../core/http/errors.ts";
import { InputError } from "../core/input-error.ts";
import { scrubSecrets } from "../core/logging/secrets.ts";
import { StoreSchemaTooNewError } from "../core/store/errors.ts";
import { flagsInText, GLOBAL_FLAGS } from "./flag-names.ts";

/** The exit-code contract: 0 ok, 1 operation failed, 2 bad input. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/**
 * Whether the failed request was a write: CXone then refused something that WAS sent, which is
 * an operation that failed (1), never bad input (2 promises that nothing was sent).
 */
export function refusedAfterWrite(error: unknown): boolean {
  return error instanceof CxoneError && error.method !== undefined && !READS.has(error.method.toUpperCase());
}
const READS = new Set(["GET", "HEAD"]);

export function exitCodeFor(error: unknown): number {
  // No connection configured for what needs CXone: the settings' fault, nothing sent.
  if (error instanceof ConfigError || error instanceof InputError || error instanceof ConnectionMissingError)
    return EXIT_BAD_INPUT;
  // What the command named is not there (an unknown campaign, list) and a read found it out:
  // the caller's mistake, nothing sent. A 404 to a write (tagging an unknown call) is CXone
  // refusing what was sent: 1.
  if (error instanceof NotFoundError) return refusedAfterWrite(error) ? EXIT_FAILED : EXIT_BAD_INPUT;
  // A store migrated by a newer build: refused before anything was sent or written.
  if (error instanceof StoreSchemaTooNewError) return EXIT_BAD_INPUT;
  return EXIT_FAILED;
}

/**
 * One line (or a few) for stderr, with every secret scrubbed; a global option the message names
 * by the SDK's name (`` `dataDir` ``) is written as its flag.
 */
export function describeError(error: unknown): string {
  return flagsInText(describe(error), GLOBAL_FLAGS);
}

function describe(error: unknown): string {
  if (error instanceof InputError) {
    // One problem, one line ("error: --file: cannot read …"); several, a list.
    const [only] = error.problems;
    if (error.problems.length === 1 && only)
      return scrubSecrets(
        `error: ${only.row === undefined ? "" : `row ${only.row}, `}${only.field}: ${only.rule}`,
      );
    return scrubSecrets(
      `error: invalid input\n${error.problems.map((p) => `  - ${p.row === undefined ? "" : `row ${p.row}, `}${p.field}: ${p.rule}`).join("\n")}`,
    );
  }
  if (error instanceof ConfigError || error instanceof ConnectionMissingError)
    return scrubSecrets(`error: ${error.message}`);
  // The SDK names credentials in its own terms; say where the CLI reads them.
  if (error instanceof AuthError && /token request was rejected/.test(error.message))
    return scrubSecrets(
      `error: ${error.message}\n  (cxo reads them from --client-id/--client-secret, --access-key-id (its secret only from CXONE_ACCESS_KEY_SECRET), CXONE_ACCESS_KEY_URL/CXONE_AREA, the CXONE_* environment variables or cxo.config.yaml)`,
    );
  if (error instanceof CxoneError) return scrubSecrets(`error: ${error.message}`);
  if (error instanceof Error) return scrubSecrets(`error: ${error.message}`);
  return scrubSecrets(`error: ${String(error)}`);
}
