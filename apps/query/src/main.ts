import { Logger } from '@nestjs/common';
import { listen, listenSettingsFromEnv } from '@of/platform';
import { createQueryApp } from './query-app.factory';

async function bootstrap(): Promise<void> {
  const app = await createQueryApp();
  const settings = listenSettingsFromEnv('QUERY_PORT', 3002, 'QUERY_SOCKET');
  await listen(app, settings);
  const socket = settings.socketPath ? ` and ${settings.socketPath}` : '';
  new Logger('QueryApp').log(`listening on http://${settings.host}:${settings.port}${socket}`);
}

bootstrap().catch((error: unknown) => {
  new Logger('QueryApp').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
