import { type DestinationStream, type Logger, type LoggerOptions, pino } from "pino";
import { printable } from "../printable.ts";
import { SENSITIVE_KEYS, scrubSecrets } from "./secrets.ts";

export type { Logger } from "pino";

/**
 * pino, configured so that no credential can be written: known sensitive keys are censored by
 * path, and every finished line is scrubbed of registered secret values before it is written.
 * Logs go to stderr by default: stdout belongs to command output (`--json` documents).
 */
export function createLogger(
  options: {
    level?: string;
    destination?: DestinationStream;
    name?: string;
    /** `human`: one readable line per entry (a terminal user); `json` (default): pino's JSON lines. */
    format?: "json" | "human";
  } = {},
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
  const destination = options.destination ?? pino.destination({ fd: 2, sync: true });
  return pino(pinoOptions, options.format === "human" ? humanLines(destination) : destination);
}

const LEVEL_WORDS: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warning",
  50: "error",
  60: "fatal",
};
const ENVELOPE = new Set(["level", "time", "pid", "hostname", "name", "msg"]);

/** One pino JSON line as a person reads it: `warning: message (key value, …)`. */
export function humanLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const fields = Object.entries(entry)
    .filter(([key]) => !ENVELOPE.has(key))
    .map(
      ([key, value]) =>
        `${printable(key)} ${typeof value === "string" ? printable(value) : JSON.stringify(value)}`,
    );
  const level = LEVEL_WORDS[Number(entry.level)] ?? "log";
  // Values can be what a client sent (a user name, a header): one line, no escape sequence.
  return `${level}: ${printable(String(entry.msg ?? ""))}${fields.length > 0 ? ` (${fields.join(", ")})` : ""}\n`;
}

function humanLines(destination: DestinationStream): DestinationStream {
  return { write: (line: string) => destination.write(humanLine(line)) };
}

/** A logger that writes nothing (library default when the caller gives none). */
export const silentLogger: Logger = pino({ level: "silent" });
