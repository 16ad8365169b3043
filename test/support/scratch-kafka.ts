import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort, portOpen } from './net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A Kafka broker of a test's own, which the test may stop and start again
 * (the shared broker must stay up for every other test). It runs from the
 * jars `make install` cached; without them it fails and says so.
 */
export class ScratchKafka {
  private process: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'scratch-kafka-'));

  private constructor(
    private readonly port: number,
    private readonly controllerPort: number,
    private readonly libs: string,
  ) {}

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async create(): Promise<ScratchKafka> {
    const cache =
      process.env.OF_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'order-fulfillment');
    const libs = join(cache, 'kafka-3.9.2', 'libs');
    if (!existsSync(join(cache, 'kafka-3.9.2', '.complete'))) {
      throw new Error(
        `The Kafka jars are not in ${libs}. Run \`make install\` (or \`make test\`, which installs them).`,
      );
    }
    const kafka = new ScratchKafka(await freePort(), await freePort(), libs);
    kafka.format();
    await kafka.start();
    return kafka;
  }

  async start(): Promise<void> {
    if (this.process) return;
    const deadline = Date.now() + 60000;
    // A broker that exits at start (a port not yet free again, say) is started once more until the deadline.
    for (let attempt = 1; ; attempt += 1) {
      let stderr = '';
      const child = spawn(
        'java',
        [
          '-Xms128m',
          '-Xmx256m',
          `-Dlog4j.configuration=file:${join(this.dir, 'log4j.properties')}`,
          '-cp',
          `${this.libs}/*`,
          'kafka.Kafka',
          join(this.dir, 'server.properties'),
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
      this.process = child;
      while (!(await portOpen(this.port))) {
        if (Date.now() > deadline) {
          throw new Error(
            `the scratch Kafka broker did not open its port within 60 s: ${stderr.trim() || 'no output'}`,
          );
        }
        if (child.exitCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (child.exitCode === null) return;
      this.process = null;
      if (Date.now() + 1000 > deadline) {
        throw new Error(
          `the scratch Kafka broker exited at start (${attempt} attempts): ${stderr.trim() || 'no output'}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  /** Stops the broker and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = null;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    await exited;
    clearTimeout(timer);
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private format(): void {
    mkdirSync(join(this.dir, 'data'));
    writeFileSync(
      join(this.dir, 'server.properties'),
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${this.controllerPort}`,
        `listeners=PLAINTEXT://127.0.0.1:${this.port},CONTROLLER://127.0.0.1:${this.controllerPort}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${this.port}`,
        'controller.listener.names=CONTROLLER',
        'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        `log.dirs=${join(this.dir, 'data')}`,
        'auto.create.topics.enable=false',
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=1',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'transaction.state.log.num.partitions=1',
        'group.initial.rebalance.delay.ms=0',
      ].join('\n'),
    );
    writeFileSync(
      join(this.dir, 'log4j.properties'),
      // Errors only, to stderr: start() quotes them if the broker exits at start.
      [
        'log4j.rootLogger=ERROR, stderr',
        'log4j.appender.stderr=org.apache.log4j.ConsoleAppender',
        'log4j.appender.stderr.Target=System.err',
        'log4j.appender.stderr.layout=org.apache.log4j.PatternLayout',
        'log4j.appender.stderr.layout.ConversionPattern=%p %m (%c)%n',
      ].join('\n'),
    );
    execFileSync(
      'java',
      [
        '-cp',
        `${this.libs}/*`,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        'c2NyYXRjaC1rYWZrYS0x',
        '-c',
        join(this.dir, 'server.properties'),
      ],
      { stdio: 'ignore' },
    );
  }
}
