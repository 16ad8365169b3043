import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { KafkaConnection, KafkaHealthIndicator, kafkaSettingsFromEnv } from '@of/platform';
import { HealthController } from './health/health.controller';
import { TopicsBootstrap } from './topics.bootstrap';

@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [
    {
      provide: KafkaConnection,
      useFactory: () => new KafkaConnection(kafkaSettingsFromEnv('order-fulfillment-command')),
    },
    KafkaHealthIndicator,
    TopicsBootstrap,
  ],
})
export class CommandAppModule {}
