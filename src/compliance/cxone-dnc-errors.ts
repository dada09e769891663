import { CxoError } from "../core/cxo-error.ts";

/**
 * A CXone DNC sync read fewer records of a group than CXone says the group
 * holds, even after reading it again (records added or deleted while it was read shift the
 * pages, so a number can be missed). The copy is not replaced: the previous one stays in use and
 * its age says how old it is, so every check searches live once it is too old.
 */
export class CxoneDncCopyIncompleteError extends CxoError {
  override readonly name = "CxoneDncCopyIncompleteError";
  readonly code = "cxone_dnc_copy_incomplete" as const;
  readonly groupId: string;
  /** Records read on the last attempt, and how many the group said it holds then. */
  readonly read: number;
  readonly expected: number;

  constructor(details: { groupId: string; name: string; read: number; expected: number; attempts: number }) {
    super(
      `CXone DNC group ${details.groupId} ("${details.name.replace(/[\r\n\t]+/g, " ")}"): read ${details.read} record(s) where the group says it holds ${details.expected}, ${details.attempts} time(s); the copy is not replaced (the previous one stays in use)`,
    );
    this.groupId = details.groupId;
    this.read = details.read;
    this.expected = details.expected;
  }
}
