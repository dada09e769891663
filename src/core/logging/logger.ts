import { type DestinationStream, type Logger, type LoggerOptions, pino } from "pino";
import { SENSITIVE_KEYS, scrubSecrets } from "./secrets.ts";

export type { Logger } from "pino";

/**
 * pino, configured so that no credential can be written: known sensitive keys are censored by
 * path, and every finished line is scrubbed of registered secret values before it is written.
 * Logs go to stderr by default: stdout belongs to command output (`--json` documents).
 */
export function createLogger(
  options: { level?: string; destination?: DestinationStream; name?: string } = {},
): Logger {
  const paths = SENSITIVE_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `headers["${key}"]`]);
  const pinoOptions: LoggerOptions = {
    name: options.name ?? "cxo",
    level: options.level ?? "warn",
    redact: { paths, censor: "[REDACTED]" },
    hooks: {
      streamWrite: (line) => scrubSecrets(line),
    },
  };
  return pino(pinoOptions, options.destination ?? pino.destination({ fd: 2, sync: true }));
}

/** A logger that writes nothing (library default when the caller gives none). */
export const silentLogger: Logger = pino({ level: "silent" });
