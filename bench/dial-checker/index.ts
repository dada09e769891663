/**
 * The independent dial checker (issue 89's week test, issue 91's week bench): `checkDials` judges
 * every dial of a run against its own rule table (`rules.ts`); `emulatorListDials` reads the dials
 * the production emulator made. No import from src/: a judge that shared the engine's code or
 * tables would share its mistakes.
 */
export { checkDials } from "./check.ts";
export { emulatorListDials } from "./emulator-dials.ts";
export { FEDERAL_HOURS, REG_F, REVOCATION, SKILL_SCHEDULE, STATE_RULES } from "./rules.ts";
export type * from "./types.ts";
