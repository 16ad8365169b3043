/** A setting that is missing or malformed; the process should not start. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function intFromEnv(
  env: NodeJS.ProcessEnv,
  key: string,
  fallback: number,
  range: { min: number; max: number } = { min: 1, max: 65535 },
): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new ConfigError(`${key} must be an integer from ${range.min} to ${range.max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function stringFromEnv(env: NodeJS.ProcessEnv, key: string, fallback: string): string {
  const raw = env[key];
  return raw === undefined || raw === '' ? fallback : raw;
}
