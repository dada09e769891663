export { ConfigError } from "./errors.ts";
export {
  type CxoneConnection,
  DEFAULT_CONFIG_FILE,
  howToSet,
  loadSettings,
  type PlatformConnection,
  type ProductionConnection,
  requireCxoneConnection,
  requirePlatformConnection,
  requireProductionConnection,
  type SettingFlags,
  type SettingSources,
} from "./load.ts";
export * from "./schema.ts";
