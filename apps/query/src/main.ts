import { Logger } from '@nestjs/common';
import { listenSettingsFromEnv } from '@of/platform';
import { createQueryApp } from './query-app.factory';

async function bootstrap(): Promise<void> {
  const app = await createQueryApp();
  const { host, port } = listenSettingsFromEnv('QUERY_PORT', 3002);
  await app.listen(port, host);
  new Logger('QueryApp').log(`listening on http://${host}:${port}`);
}

bootstrap().catch((error: unknown) => {
  new Logger('QueryApp').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
