import path from "node:path";
import { InputError } from "../input-error.ts";
import { isDiskFull, StoreFullError, spaceLeft } from "./errors.ts";

/**
 * A data dir the store cannot use, said in the user's terms (exit 2, naming `dataDir` and what
 * to do) instead of a raw "EEXIST: mkdir" or "file is not a database". Anything we do not
 * recognise is returned as is.
 */
const WHERE = "set `dataDir`, CXO_DATA_DIR or dataDir in the config file";

export function dataDirError(dataDir: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  const errcode = (error as { errcode?: number }).errcode;
  const message = error instanceof Error ? error.message : String(error);
  const problem = (rule: string) => new InputError({ field: "dataDir", rule: `"${dataDir}" ${rule}` });
  // Not the user's input: the operation failed (exit 1), and says where and why.
  if (error instanceof StoreFullError) return error;
  if (isDiskFull(error, () => spaceLeft(dataDir)))
    return new StoreFullError({ location: path.join(dataDir, "cxo.sqlite"), dataDir, cause: error });
  if (code === "EEXIST" || code === "ENOTDIR")
    return problem(
      `is a file, not a directory (or sits under one): remove or rename it, or ${WHERE} to a directory`,
    );
  if (code === "EACCES" || code === "EPERM" || code === "EROFS")
    return problem(
      `cannot be created or written (${code}): make it writable by this user, or ${WHERE} to a writable directory`,
    );
  // SQLite result codes (node:sqlite sets errcode): 8 READONLY, 14 CANTOPEN, 11 CORRUPT, 26 NOTADB.
  if (errcode === 8 || /readonly database/i.test(message))
    return problem(
      `is read-only: cxo records its journal and audit log there before and after every change; make it writable, or ${WHERE} to a writable directory`,
    );
  if (errcode === 14 || /unable to open database file/i.test(message))
    return problem(
      `cannot be opened (permissions?): make it readable and writable by this user, or ${WHERE}`,
    );
  if (errcode === 26 || errcode === 11 || /not a database|malformed/i.test(message))
    return problem(
      `holds a corrupt store (cxo.sqlite: ${message}): move cxo.sqlite, cxo.sqlite-wal and cxo.sqlite-shm aside and restore them from a backup (docs/durability.md), or ${WHERE} to start afresh`,
    );
  return error;
}
