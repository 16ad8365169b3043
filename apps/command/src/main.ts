import { Logger } from '@nestjs/common';
import { exitOnStartFailure, listen, listenSettingsFromEnv } from '@of/platform';
import { createCommandApp } from './command-app.factory';

async function bootstrap(): Promise<void> {
  const app = await createCommandApp();
  const where = await listen(app, listenSettingsFromEnv('COMMAND_PORT', 3001, 'COMMAND_SOCKET'));
  new Logger('CommandApp').log(`listening on ${where}`);
}

bootstrap().catch(exitOnStartFailure('CommandApp'));
