import { statSync } from "node:fs";
import path from "node:path";
import { readBoundedFile } from "../input-file.ts";
import { ConfigError } from "./errors.ts";
import { isMapping, TENANTS_HINT, type Tree } from "./tenant-block.ts";

// A secret in the config file is written inline only in a file no one else may read; otherwise
// it is a reference, `{env: NAME}` or `{file: PATH}` (a 0600 file), resolved here — a tenant's
// secrets when its block is folded in (tenant-choice.ts), the top-level ones for every run.

/** The most a secret file (`{file: PATH}`) may hold: a key or a token, never megabytes. */
const SECRET_FILE_BYTES = 64 * 1024;

/** The mode bits others than the owner have on a config or secret file (0 when it is not a file). */
export function othersCanRead(file: string): number {
  if (file === "-") return 0;
  try {
    return statSync(file).mode & 0o077;
  } catch {
    return 0;
  }
}

/** The file's mode as `ls -l` users know it, from the group/others bits found (owner assumed rw). */
export const modeText = (loose: number): string => (0o666 & (loose | 0o600)).toString(8).padStart(4, "0");

type SecretRef = { env: string } | { file: string };

export function isSecretRef(value: unknown): value is SecretRef {
  if (!isMapping(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1) return false;
  return (
    (keys[0] === "env" && typeof value.env === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(value.env)) ||
    (keys[0] === "file" && typeof value.file === "string" && value.file.length > 0)
  );
}

/** A secret's value: itself when inline, else the variable's or the file's (trimmed) content. */
export function resolveSecret(
  setting: string,
  value: unknown,
  env: NodeJS.ProcessEnv,
  configDir: string,
): string {
  if (typeof value === "string") return value;
  const ref = value as SecretRef;
  if ("env" in ref) {
    const found = env[ref.env];
    if (found === undefined || found === "")
      throw new ConfigError(
        setting,
        `names the environment variable ${ref.env}, which is not set`,
        TENANTS_HINT,
      );
    return found;
  }
  const file = path.resolve(configDir, ref.file);
  // The rule an inline secret follows (checkInlineSecrets): a secret no one else may read. A
  // secret file its group or others can read is as exposed as an inline secret in a 0644 config.
  const loose = othersCanRead(file);
  if (loose)
    throw new ConfigError(
      setting,
      `names the file ${file}, which its group or others can read (mode ${modeText(loose)}): chmod 600 it`,
      TENANTS_HINT,
    );
  try {
    // A secret is a line: a regular file, and never more than SECRET_FILE_BYTES read (/dev/zero).
    const text = readBoundedFile(
      file,
      SECRET_FILE_BYTES,
      file,
      (rule) => new ConfigError(setting, `names the file ${rule}`, TENANTS_HINT),
    )
      .toString("utf8")
      .trim();
    if (text === "") throw new ConfigError(setting, `names the file ${file}, which is empty`, TENANTS_HINT);
    return text;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(
      setting,
      `names the file ${file}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      TENANTS_HINT,
    );
  }
}

/**
 * The top-level secrets (outside `tenants:`) given as references, `{env: NAME}` or `{file:
 * PATH}`, resolved the way a tenant's are: a secret need not be written in the config file
 * whatever its place (issue 63 N13). A string stays as it is; anything else is the schema's to
 * refuse.
 */
export function resolveTopLevelSecrets(
  tree: Tree,
  env: NodeJS.ProcessEnv,
  configFile: string,
  cwd: string,
): void {
  const configDir = configFile === "-" ? cwd : path.dirname(configFile);
  const resolve = (node: unknown, key: string, setting: string) => {
    if (!isMapping(node) || !isSecretRef(node[key])) return;
    node[key] = resolveSecret(setting, node[key], env, configDir);
  };
  resolve(tree.cxone, "clientSecret", "cxone.clientSecret");
  resolve(tree.cxone, "accessKeySecret", "cxone.accessKeySecret");
  resolve(tree.service, "webhookSecret", "service.webhookSecret");
  resolve(tree.service, "accessToken", "service.accessToken");
  resolve(tree.audit, "anchorKey", "audit.anchorKey");
  if (isMapping(tree.compliance)) resolve(tree.compliance.rnd, "clientSecret", "compliance.rnd.clientSecret");
  if (isMapping(tree.destinations))
    for (const [name, destination] of Object.entries(tree.destinations))
      resolve(destination, "secret", `destinations.${name}.secret`);
}
