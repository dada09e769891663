/**
 * Bad input found locally, before anything is sent to CXone: the CLI exits with code 2.
 * Every instance names the field and the rule it broke (and the row, for file input).
 */
export interface InputProblem {
  field: string;
  rule: string;
  row?: number;
}

export class InputError extends Error {
  override readonly name = "InputError";
  readonly problems: InputProblem[];

  constructor(problems: InputProblem[] | InputProblem) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.map(describeProblem).join("; "));
    this.problems = list;
  }
}

export function describeProblem(problem: InputProblem): string {
  const where = problem.row === undefined ? problem.field : `row ${problem.row}, ${problem.field}`;
  return `${where}: ${problem.rule}`;
}
