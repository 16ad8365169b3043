import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import {
  KafkaConnection,
  KafkaHealthIndicator,
  kafkaSettingsFromEnv,
  MongoConnection,
  MongoHealthIndicator,
  mongoSettingsFromEnv,
} from '@of/platform';
import { HealthController } from './health/health.controller';

@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [
    {
      provide: KafkaConnection,
      useFactory: () => new KafkaConnection(kafkaSettingsFromEnv('order-fulfillment-query')),
    },
    { provide: MongoConnection, useFactory: () => new MongoConnection(mongoSettingsFromEnv()) },
    KafkaHealthIndicator,
    MongoHealthIndicator,
  ],
})
export class QueryAppModule {}
