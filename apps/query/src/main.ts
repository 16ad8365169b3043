import { Logger } from '@nestjs/common';
import { exitOnStartFailure, listen, listenSettingsFromEnv } from '@of/platform';
import { createQueryApp } from './query-app.factory';

async function bootstrap(): Promise<void> {
  const app = await createQueryApp();
  const where = await listen(app, listenSettingsFromEnv('QUERY_PORT', 3002, 'QUERY_SOCKET'));
  new Logger('QueryApp').log(`listening on ${where}`);
}

bootstrap().catch(exitOnStartFailure('QueryApp'));
