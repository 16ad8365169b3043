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

const DURATION = /^(\d{1,12})(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `24h`, `90m`, `3600s`, `2d` or `500ms`, in milliseconds. */
export function durationFromEnv(
  env: NodeJS.ProcessEnv,
  key: string,
  fallbackMs: number,
  range: { minMs: number; maxMs: number },
): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallbackMs;
  const match = DURATION.exec(raw.trim());
  const value = match ? Number(match[1]) * UNIT_MS[match[2]] : Number.NaN;
  if (!(value >= range.minMs && value <= range.maxMs)) {
    throw new ConfigError(
      `${key} must be a duration such as 24h, 90m or 3600s, from ${range.minMs} ms to ${range.maxMs} ms, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}
