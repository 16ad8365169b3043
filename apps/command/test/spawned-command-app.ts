import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../test/support/net';
import { ADMIN_TOKEN, type isolatedTopics, stateDirOf } from './command-app.harness';

const MAIN = join(__dirname, '../../../dist/apps/command/apps/command/src/main.js');

/** The built command app as its own process, on a harness's topics: to be killed with SIGKILL and started again. */
export class SpawnedCommandApp {
  private child: ChildProcess | null = null;
  private port = 0;
  /** What the running process printed (its JSON log lines). */
  output = '';

  constructor(
    private readonly topics: ReturnType<typeof isolatedTopics>,
    private readonly env: Record<string, string> = {},
  ) {}

  /** Starts the app and resolves once /health answers 200. */
  async start(): Promise<void> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm run build, or make test)`);
    this.port ||= await freePort();
    this.output = '';
    const child = spawn('node', [MAIN], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: {
        ...process.env,
        COMMAND_PORT: String(this.port),
        ORDER_EVENTS_TOPIC: this.topics.orders,
        INVENTORY_EVENTS_TOPIC: this.topics.inventory,
        KAFKA_TRANSACTIONAL_ID: this.topics.transactionalId,
        KAFKA_TOPIC_PARTITIONS: '3',
        ADMIN_TOKEN,
        STATE_DIR: stateDirOf(this.topics),
        ...this.env,
      },
    });
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child = child;
    const deadline = Date.now() + 60000;
    while (!(await this.healthy())) {
      if (Date.now() > deadline) throw new Error('the command app did not become ready');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  kill(): void {
    this.child?.kill('SIGKILL');
  }

  /** One request with the admin token; rejects when the connection dies. */
  async call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: { data?: Record<string, unknown>; code?: string } }> {
    const response = await fetch(`http://127.0.0.1:${this.port}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as { data?: Record<string, unknown>; code?: string },
    };
  }

  private healthy(): Promise<boolean> {
    return fetch(`http://127.0.0.1:${this.port}/health`).then(
      (response) => response.ok,
      () => false,
    );
  }
}
