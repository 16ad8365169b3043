// Tails the event topics in readable form (what Kafdrop shows in Compose).
//
//   make events                    new events from now on
//   make events ARGS=--from-start  everything the topics hold, then follow
//   make events ARGS="--from-start --no-follow --dlq"
//
// Read-committed, like the apps: aborted transactions never show.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { deadLetterTopic, deserializeEnvelope } from '../libs/contracts/src';
import { createKafka, kafkaSettingsFromEnv } from '../libs/platform/src';

const { values } = parseArgs({
  options: {
    'from-start': { type: 'boolean', default: false },
    'no-follow': { type: 'boolean', default: false },
    dlq: { type: 'boolean', default: false },
    payload: { type: 'boolean', default: true },
  },
});

const color = process.stdout.isTTY
  ? (code: number, text: string) => `\x1b[${code}m${text}\x1b[0m`
  : (_code: number, text: string) => text;

async function main(): Promise<void> {
  const settings = kafkaSettingsFromEnv('order-fulfillment-events-tail');
  const kafka = createKafka(settings);
  const topics = [settings.topics.orderEvents, settings.topics.inventoryEvents];
  if (values.dlq) topics.push(...topics.map(deadLetterTopic));

  // A group of its own, never committed: tailing never moves anyone's position.
  const consumer = kafka.consumer({ groupId: `events-tail-${randomUUID()}`, readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: values['from-start'] });
  const stop = async () => {
    await consumer.disconnect();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  // --no-follow: stop once nothing arrived for a while (the ends of the
  // partitions hold transaction markers, which are never delivered).
  let idle: NodeJS.Timeout | undefined;
  const idleStop = () => {
    if (!values['no-follow']) return;
    clearTimeout(idle);
    idle = setTimeout(() => void stop(), 3000);
  };
  consumer.on(consumer.events.GROUP_JOIN, idleStop);

  await consumer.run({
    autoCommit: false,
    eachMessage: ({ topic, partition, message }) => {
      const where = color(90, `${topic}/${partition}@${message.offset}`);
      try {
        const event = deserializeEnvelope(message.value);
        const reason = message.headers?.['dlq-reason'];
        console.log(
          [
            color(90, event.occurredAt),
            color(36, event.eventType.padEnd(22)),
            `${event.aggregateType} ${color(1, event.aggregateId)} v${event.aggregateVersion}`,
            color(90, `corr=${event.correlationId}`),
            where,
            reason ? color(31, `dlq=${String(reason)}`) : '',
            values.payload ? JSON.stringify(event.payload) : '',
          ]
            .filter(Boolean)
            .join('  '),
        );
      } catch (error) {
        console.log(`${where}  ${color(31, `unreadable: ${(error as Error).message}`)}`);
      }
      idleStop();
      return Promise.resolve();
    },
  });
}

main().catch((error: unknown) => {
  console.error(`could not tail the event topics: ${(error as Error).message}`);
  process.exit(1);
});
