// Recovery: the command app rebuilding its state store from a large event
// history (what a start with a lost or new disk does), in events/s, and the
// resident memory it then holds.
import { randomUUID } from 'node:crypto';
import { replayTopics } from '../../apps/command/src/event-store/event-replayer';
import type { TopicNames } from '../../libs/contracts/src';
import { KafkaConnection, type KafkaSettings } from '../../libs/platform/src';
import { generateEvents } from './event-generator';
import { scratchStateDir, scratchTopics, SpawnedApp } from './support';

export interface RecoveryFigures {
  events: number;
  aggregates: number;
  replayMs: number;
  eventsPerSecond: number;
  readyMs: number;
  rssBytes: number;
  baselineRssBytes: number;
  /** The app's own reader over the same topics, doing nothing with the events. */
  readCeilingEventsPerSecond: number;
}

/**
 * The recovery's ceiling: the replay's Kafka reader (kafkajs, read-committed,
 * the same fetch sizes) with nothing done per event, timed in this process.
 */
async function readCeiling(settings: KafkaSettings, topics: TopicNames): Promise<number> {
  const connection = new KafkaConnection({ ...settings, topics });
  try {
    const report = await replayTopics(connection, () => undefined);
    return Math.round(report.events / (report.durationMs / 1000));
  } finally {
    await connection.onApplicationShutdown();
  }
}

export async function benchRecovery(options: {
  events: number;
  log: (line: string) => void;
}): Promise<RecoveryFigures> {
  const suffix = randomUUID().slice(0, 8);
  const full = { orderEvents: `bench-rec-orders-${suffix}`, inventoryEvents: `bench-rec-inventory-${suffix}` };
  const empty = {
    orderEvents: `bench-rec-orders-empty-${suffix}`,
    inventoryEvents: `bench-rec-inventory-empty-${suffix}`,
  };
  const { settings, producer, drop } = await scratchTopics([...Object.values(full), ...Object.values(empty)]);
  const state = scratchStateDir('bench-recovery');
  try {
    options.log(`  writing ${options.events} events into ${full.orderEvents} / ${full.inventoryEvents} ...`);
    let shown = 0;
    const generated = await generateEvents(producer, full, { events: options.events }, (written) => {
      if (written - shown >= 200_000) options.log(`    ${(shown = written)} events written`);
    });
    await producer.disconnect();

    const start = async (topics: typeof full) => {
      const app = await SpawnedApp.start('command', {
        ORDER_EVENTS_TOPIC: topics.orderEvents,
        INVENTORY_EVENTS_TOPIC: topics.inventoryEvents,
        KAFKA_TRANSACTIONAL_ID: `bench-recovery-${randomUUID()}`,
        STATE_DIR: state.dir,
        LOG_LEVEL: 'info',
      });
      const readyMs = await app.ready(600000);
      // Let the start-up garbage go before reading resident memory.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      return { app, readyMs, rss: app.rss() };
    };
    options.log("  ceiling: reading them with the replay's reader, nothing done per event ...");
    const readCeilingEventsPerSecond = await readCeiling(settings, full);
    const baseline = await start(empty);
    await baseline.app.stop();
    options.log('  replaying them in a fresh command app ...');
    const loaded = await start(full);
    const line = loaded.app.output.find((entry) => entry.includes('recovered: '));
    await loaded.app.stop();
    const match = /recovered: (\d+) events replayed from [^;]* in (\d+) ms [^;]*; (\d+) aggregates/.exec(line ?? '');
    if (!match) throw new Error(`no recovery report in the app's log: ${loaded.app.output.slice(-3).join(' | ')}`);
    const [events, replayMs, aggregates] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (events !== generated.events)
      throw new Error(`the app recovered ${events} events, ${generated.events} were written`);
    return {
      events,
      aggregates,
      replayMs,
      eventsPerSecond: Math.round(events / (replayMs / 1000)),
      readyMs: Math.round(loaded.readyMs),
      rssBytes: loaded.rss,
      baselineRssBytes: baseline.rss,
      readCeilingEventsPerSecond,
    };
  } finally {
    state.remove();
    await drop();
  }
}
