export { ConfigError } from "./errors.ts";
export {
  type CxoneConnection,
  DEFAULT_CONFIG_FILE,
  howToSet,
  loadSettings,
  requireCxoneConnection,
  type SettingFlags,
  type SettingSources,
} from "./load.ts";
export * from "./schema.ts";
