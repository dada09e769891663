import { CxoneError } from "../core/http/errors.ts";
import { InputError, type InputProblem } from "../core/input-error.ts";

/**
 * The request breaks a disposition rule (unknown code, 1xx/2xx mix once merged with the current
 * state). Bad input: the CLI exits 2 and no PATCH was accepted.
 */
export class DispositionRuleError extends InputError {
  readonly rule: string;
  constructor(rule: string, problem: InputProblem) {
    super(problem);
    this.rule = rule;
  }
}

/** Every attempt met a concurrent edit (or an unanswered PATCH) and the bound was reached. */
export class ConflictRetriesExhaustedError extends CxoneError {
  override name = "ConflictRetriesExhaustedError";
  override readonly code = "conflict_retries_exhausted" as const;
}
