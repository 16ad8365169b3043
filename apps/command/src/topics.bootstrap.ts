import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ensureTopics, KafkaConnection } from '@of/platform';

/** The write side owns its topics: it creates any that are missing before serving. */
@Injectable()
export class TopicsBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(TopicsBootstrap.name);

  constructor(private readonly kafka: KafkaConnection) {}

  async onApplicationBootstrap(): Promise<void> {
    const created = await ensureTopics(this.kafka.admin, this.kafka.settings);
    if (created.length > 0) this.logger.log(`created topics: ${created.join(', ')}`);
  }
}
