import { CxoError } from "./cxo-error.ts";

/**
 * A call that needs CXone, made on a client built without a connection (`createClient` with no
 * `connection`, or the CLI on a data dir whose settings name none). Such a client does the local
 * work — the consent ledger, checks from the store, evidence from a file, reports — and refuses
 * anything that would read or write CXone with this error, before anything is sent. `setting`
 * names what is missing (`connection` for the SDK; the setting, e.g. `cxone.baseUrl`, for a
 * client built from settings).
 */
export class ConnectionMissingError extends CxoError {
  override name = "ConnectionMissingError";
  readonly code = "connection_missing" as const;
  /** The missing setting, as the caller would set it. */
  readonly setting: string;

  constructor(setting: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.setting = setting;
  }
}

/** The error of a client made by `createClient` without a `connection`. */
export function sdkConnectionMissing(): ConnectionMissingError {
  return new ConnectionMissingError(
    "connection",
    "connection: this client was made without one and does local work only (createClient({ connection }) to reach CXone)",
  );
}
