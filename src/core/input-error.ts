import { CxoError } from "./cxo-error.ts";
/**
 * Bad input found locally, before anything is sent to CXone: the CLI exits with code 2.
 * Every instance names the field and the rule it broke (and the row, for file input).
 */
export interface InputProblem {
  field: string;
  rule: string;
  row?: number;
}

export class InputError extends CxoError {
  override readonly name = "InputError";
  readonly code = "invalid_input" as const;
  readonly problems: InputProblem[];

  constructor(problems: InputProblem[] | InputProblem, options?: { cause?: unknown }) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.map(describeProblem).join("; "), options);
    this.problems = list;
  }
}

export function describeProblem(problem: InputProblem): string {
  const where = problem.row === undefined ? problem.field : `row ${problem.row}, ${problem.field}`;
  return `${where}: ${problem.rule}`;
}

/** Refuses a given `value` that is not a whole number from `min` to `max`: an InputError naming `field`. */
export function checkWholeNumber(
  value: number | undefined,
  field: string,
  range: [number, number],
  rule: string,
): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= range[0] && value <= range[1]))
    throw new InputError({ field, rule });
}

/**
 * Collects the problems of several independent checks so a command reports them all at once:
 * `attempt(fn)` runs one check and returns its value, or undefined after recording the
 * InputError's problems; anything else is rethrown. `throwIfAny()` ends the collection.
 */
export class ProblemCollector {
  readonly problems: InputProblem[] = [];

  attempt<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.problems.push(...error.problems);
      return undefined;
    }
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new InputError(this.problems);
  }
}
