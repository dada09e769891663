export { createLogger, type Logger, silentLogger } from "./logger.ts";
export {
  processSecrets,
  redactValue,
  registerSecret,
  registerToken,
  SENSITIVE_KEYS,
  scrubSecrets,
} from "./secrets.ts";
