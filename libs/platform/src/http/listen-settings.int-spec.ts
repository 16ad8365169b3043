import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { freePort } from '../../../../test/support/net';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { createHttpApp } from './create-app';
import { listen } from './listen-settings';

@Controller('ping')
class PingController {
  @Get()
  ping(): { pong: true } {
    return { pong: true };
  }
}

@Module({
  controllers: [PingController],
  providers: [{ provide: MetricsRegistry, useValue: new MetricsRegistry('listen-test') }],
})
class PingModule {}

/** GET over the Unix socket: the status, or the connection error's code. */
const getOverSocket = (socketPath: string): Promise<number | string> =>
  new Promise((resolve) => {
    const req = request({ socketPath, path: '/ping', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });

describe('listening on a Unix socket as well as the port', () => {
  const dir = mkdtempSync(join(tmpdir(), 'listen-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let app: NestFastifyApplication | null = null;
  afterEach(() => app?.close());

  it('serves the same app on both, replaces a stale socket file, and stops taking connections on close', async () => {
    const socketPath = join(dir, 'app.sock');
    // What a killed app leaves behind.
    writeFileSync(socketPath, '');
    const port = await freePort();
    app = await createHttpApp(PingModule, {
      name: 'listen-test',
      logger: false,
      serveDocs: false,
      docs: { path: 'docs', title: 't', description: 'd' },
    });
    await listen(app, { host: '127.0.0.1', port, socketPath });

    expect(await getOverSocket(socketPath)).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/ping`)).status).toBe(200);

    await app.close();
    app = null;
    expect(await getOverSocket(socketPath)).toMatch(/ECONNREFUSED|ENOENT/);
  });
});
