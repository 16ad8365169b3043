import { Logger } from '@nestjs/common';
import { listenSettingsFromEnv } from '@of/platform';
import { createCommandApp } from './command-app.factory';

async function bootstrap(): Promise<void> {
  const app = await createCommandApp();
  const { host, port } = listenSettingsFromEnv('COMMAND_PORT', 3001);
  await app.listen(port, host);
  new Logger('CommandApp').log(`listening on http://${host}:${port}`);
}

bootstrap().catch((error: unknown) => {
  new Logger('CommandApp').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
