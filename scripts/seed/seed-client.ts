// The seed's HTTP client: every command with its Idempotency-Key, retried on
// answers that mean "try again" (429, 502-504, and 503 while Kafka is away).

const RETRYABLE = new Set([429, 502, 503, 504]);
const ATTEMPTS = 10;

type Data = Record<string, unknown>;

export class SeedClient {
  calls = 0;
  retries = 0;
  replayed = 0;

  constructor(private readonly gateway: string) {}

  async ensureReachable(): Promise<void> {
    const response = await fetch(`${this.gateway}/health/command`).catch(() => null);
    if (!response?.ok) {
      throw new Error(`the command app is not ready behind ${this.gateway} (start the stack with \`make run\`)`);
    }
  }

  /** A command; answers its `data`. */
  call(method: string, path: string, key: string, body?: unknown): Promise<Data> {
    return this.send(method, path, key, body);
  }

  /** A query; answers its `data`. */
  read(path: string): Promise<Data> {
    return this.send('GET', path, null);
  }

  /** A query whose answer may not exist yet (the read side is eventually consistent). */
  async readEventually(path: string, timeoutMs = 60000): Promise<Data> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await this.read(path);
      } catch (error) {
        if (Date.now() > deadline || !String((error as Error).message).includes('answered 404')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  /** Waits until the projections have consumed everything (admin API), reporting the lag now and then. */
  async waitForProjections(report: (lag: number) => void): Promise<void> {
    const token = process.env.ADMIN_TOKEN ?? 'dev-admin-token';
    let shown = 0;
    for (;;) {
      const response = await fetch(`${this.gateway}/api/v1/admin/projections`, {
        headers: { authorization: `Bearer ${token}` },
      }).catch(() => null);
      if (!response?.ok) return; // no admin access: the per-order reads wait instead
      const lag = ((await response.json()) as { data: { lag: number } }).data.lag;
      if (lag === 0) return;
      if (Date.now() - shown > 10000) {
        report(lag);
        shown = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  private async send(method: string, path: string, key: string | null, body?: unknown): Promise<Data> {
    for (let attempt = 1; ; attempt += 1) {
      let status = 0;
      let text = '';
      let retryAfter = 0;
      try {
        const response = await fetch(`${this.gateway}${path}`, {
          method,
          headers: {
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(key ? { 'idempotency-key': key, 'x-correlation-id': `seed:${key}` } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        status = response.status;
        text = await response.text();
        retryAfter = Number(response.headers.get('retry-after') ?? 0);
        if (response.headers.get('idempotent-replayed') === 'true') this.replayed += 1;
      } catch (error) {
        text = (error as Error).message; // connection refused or reset: retried
      }
      if (status >= 200 && status < 300) {
        if (key) this.calls += 1;
        return (JSON.parse(text) as { data: Data }).data;
      }
      if ((status === 0 || RETRYABLE.has(status)) && attempt < ATTEMPTS) {
        this.retries += 1;
        const delay = Math.max(retryAfter * 1000, Math.min(5000, 100 * 2 ** attempt));
        await new Promise((resolve) => setTimeout(resolve, delay));
        continue;
      }
      throw new Error(`${method} ${path} answered ${status || 'nothing'}: ${text.slice(0, 300)}`);
    }
  }
}
