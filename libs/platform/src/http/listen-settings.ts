import { intFromEnv, stringFromEnv } from '../config/env';

export interface ListenSettings {
  host: string;
  port: number;
}

/** Binds to loopback unless told otherwise (Compose sets HOST=0.0.0.0). */
export function listenSettingsFromEnv(
  portKey: string,
  defaultPort: number,
  env: NodeJS.ProcessEnv = process.env,
): ListenSettings {
  return { host: stringFromEnv(env, 'HOST', '127.0.0.1'), port: intFromEnv(env, portKey, defaultPort) };
}
