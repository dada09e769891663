import { CxoError } from "../cxo-error.ts";
/**
 * Raised when a setting is missing or malformed. The CLI maps it to exit code 2 (bad input).
 * `setting` names the setting the way a user would set it; `howToSet` tells them where.
 */
export class ConfigError extends CxoError {
  override readonly name = "ConfigError";
  readonly code = "config_invalid" as const;
  readonly setting: string;
  readonly howToSet: string;

  constructor(setting: string, problem: string, howToSet: string) {
    super(`${setting}: ${problem} (set it with ${howToSet})`);
    this.setting = setting;
    this.howToSet = howToSet;
  }
}
