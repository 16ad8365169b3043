import { Logger } from '@nestjs/common';
import { ConfigError } from './env';

/** Ends a process whose app could not start: a wrong setting by its message, anything else with its stack. */
export function exitOnStartFailure(appName: string): (error: unknown) => never {
  return (error: unknown) => {
    new Logger(appName).error(
      error instanceof ConfigError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error),
    );
    process.exit(1);
  };
}
