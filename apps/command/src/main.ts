import { Logger } from '@nestjs/common';
import { listen, listenSettingsFromEnv } from '@of/platform';
import { createCommandApp } from './command-app.factory';

async function bootstrap(): Promise<void> {
  const app = await createCommandApp();
  const settings = listenSettingsFromEnv('COMMAND_PORT', 3001, 'COMMAND_SOCKET');
  await listen(app, settings);
  const socket = settings.socketPath ? ` and ${settings.socketPath}` : '';
  new Logger('CommandApp').log(`listening on http://${settings.host}:${settings.port}${socket}`);
}

bootstrap().catch((error: unknown) => {
  new Logger('CommandApp').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
