import { request as httpRequest } from 'node:http';

/** What the end-to-end tests call: the running stack through the nginx gateway. */
export const gatewayUrl = (): string => process.env.GATEWAY_URL ?? 'http://127.0.0.1:8000';

export const adminHeaders = (): Record<string, string> => ({
  authorization: `Bearer ${process.env.ADMIN_TOKEN ?? 'dev-admin-token'}`,
});

/** Loosely typed on purpose: the tests check the shapes. */
export type Body = Record<string, unknown> & { data?: Record<string, unknown> & { [key: string]: unknown } };

export interface Reply {
  status: number;
  headers: Headers;
  body: Body;
}

/** One request; a body that is not a string is sent as JSON. */
export async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const response = await fetch(`${gatewayUrl()}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Body };
}

/**
 * A request fetch() refuses to send (TRACE, CONNECT), over node:http.
 * Header names come back in lower case.
 */
export function rawCall(
  method: string,
  path: string,
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${gatewayUrl()}${path}`, { method }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, String(value)])),
          text,
        }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

/** Reads until `check` passes: the read side is eventually consistent. */
export async function eventually(path: string, check: (body: Body) => boolean, timeoutMs = 15000): Promise<Body> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await call('GET', path);
    if (reply.status === 200 && check(reply.body)) return reply.body;
    if (Date.now() > deadline) {
      throw new Error(`${path} never matched; last answer ${JSON.stringify(reply.body).slice(0, 500)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
