import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { paced } from './paced-load';

// The bench's own HTTP sender against a real HTTP server on a local port:
// every request answered and counted once, whatever the answer.
describe('paced', () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      seen.push(`${request.method} ${url.pathname}${url.search}`);
      if (url.pathname === '/missing') {
        const body = '{"status":404}';
        response.writeHead(404, { 'content-type': 'application/problem+json', 'content-length': body.length });
        response.end(body);
      } else if (url.pathname === '/chunked') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.write('no length');
        response.end(' given');
      } else if (url.pathname === '/closing') {
        response.writeHead(200, { connection: 'close', 'content-length': '2' }).end('ok');
      } else if (url.pathname === '/empty') {
        response.writeHead(204).end();
      } else {
        const body = JSON.stringify({ items: Array.from({ length: 50 }, (_, i) => ({ i, path: url.search })) });
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        response.end(body);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen.length = 0;
  });

  it('sends each request once, at the rate asked, and counts 2xx, other statuses and failures apart', async () => {
    const paths = ['/orders?k=1', '/missing', '/chunked', '/closing', '/empty'];
    const result = await paced({ rate: 200, seconds: 1, url: (k) => `${base}${paths[k % paths.length]}` });

    expect(result.requests).toBe(200);
    expect(seen).toHaveLength(200);
    expect(new Set(seen).size).toBe(paths.length);
    // The ordinary answer, the closing one and the empty one are 2xx; the
    // answer without a Content-Length is not read, and counts as a failure.
    expect(result.non2xx).toBe(40);
    expect(result.errors).toBe(40);
    expect(result.requestsPerSecond).toBeGreaterThan(0);
    expect(result.p50).toBeGreaterThan(0);
    expect(result.p99).toBeGreaterThanOrEqual(result.p50);
  });

  it('refuses URLs of more than one origin', async () => {
    await expect(
      paced({ rate: 10, seconds: 1, url: (k) => (k === 0 ? `${base}/a` : 'http://127.0.0.1:1/b') }),
    ).rejects.toThrow('one origin');
  });
});
