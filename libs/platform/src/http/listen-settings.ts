import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { intFromEnv, stringFromEnv } from '../config/env';

export interface ListenSettings {
  host: string;
  port: number;
  /** A Unix socket served as well, for a gateway on the same host. */
  socketPath: string | null;
}

/** Binds to loopback unless told otherwise (Compose sets HOST=0.0.0.0). */
export function listenSettingsFromEnv(
  portKey: string,
  defaultPort: number,
  socketKey: string,
  env: NodeJS.ProcessEnv = process.env,
): ListenSettings {
  return {
    host: stringFromEnv(env, 'HOST', '127.0.0.1'),
    port: intFromEnv(env, portKey, defaultPort),
    socketPath: env[socketKey]?.trim() || null,
  };
}

/**
 * Listens on the TCP port and, when set, on the Unix socket too: the same
 * server, every connection handed to it. The local gateway proxies through
 * the socket, which costs less CPU per answer than loopback TCP. Returns
 * where it listens.
 */
export async function listen(app: NestFastifyApplication, settings: ListenSettings): Promise<string> {
  const { socketPath } = settings;
  const url = `http://${settings.host}:${settings.port}`;
  if (!socketPath) {
    await app.listen(settings.port, settings.host);
    return url;
  }
  const unix = createServer((socket) => app.getHttpServer().emit('connection', socket));
  // Stops taking connections as soon as the app begins to close, like the
  // port. Not waiting for those open: the HTTP server has them and closes
  // them as it does its own (the gateway's kept-alive ones would hold it).
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preClose', (done) => {
      if (unix.listening) unix.close();
      done();
    });
  await app.listen(settings.port, settings.host);
  await rm(socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    unix.once('error', reject);
    unix.listen(socketPath, () => {
      unix.off('error', reject);
      resolve();
    });
  });
  return `${url} and ${socketPath}`;
}
