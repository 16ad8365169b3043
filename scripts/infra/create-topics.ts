// Creates the project's Kafka topics (idempotent); run by scripts/stack.sh after Kafka starts.
import { createKafka, ensureTopics, kafkaSettingsFromEnv } from '../../libs/platform/src';

async function main(): Promise<void> {
  const settings = kafkaSettingsFromEnv('order-fulfillment-infra');
  const admin = createKafka(settings).admin();
  await admin.connect();
  try {
    const created = await ensureTopics(admin, settings);
    console.log(created.length > 0 ? `created topics: ${created.join(', ')}` : 'all topics exist');
  } finally {
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(`could not create the Kafka topics: ${(error as Error).message}`);
  process.exit(1);
});
