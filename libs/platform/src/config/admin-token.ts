import { ConfigError } from './env';

/** The token the local stack uses when none is set. It is in the README, so it guards nothing. */
export const DEV_ADMIN_TOKEN = 'dev-admin-token';

/**
 * Refuses the public development token anywhere but on the local stack
 * (`scripts/stack.sh` marks its apps with OF_LOCAL_STACK=1). Without a token
 * the admin endpoints stay closed (401), which is safe.
 */
export function assertAdminTokenIsPrivate(env: NodeJS.ProcessEnv): void {
  if (env.ADMIN_TOKEN === DEV_ADMIN_TOKEN && env.OF_LOCAL_STACK !== '1') {
    throw new ConfigError(
      `ADMIN_TOKEN is the public development token "${DEV_ADMIN_TOKEN}", accepted only on the local stack. ` +
        'Set a secret of your own (`make up` writes a random one into .env).',
    );
  }
}
