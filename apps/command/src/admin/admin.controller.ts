import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AggregateType } from '@of/contracts';
import { DomainError, UUID_PATTERN } from '@of/domain';
import { AdminTokenGuard, ValidationFailedError } from '@of/platform';
import { EventStore } from '../event-store/event-store';
import { HistoryReader } from '../event-store/history-reader';

type AdminAnswer = { success: true; data: Record<string, unknown> };

function versionParam(name: string, raw: string | undefined): number | null {
  if (raw === undefined) return null;
  if (!/^\d{1,12}$/.test(raw) || Number(raw) < 1) {
    throw new ValidationFailedError([{ field: name, message: `${name} must be a whole number, 1 or more` }]);
  }
  return Number(raw);
}

/** Plain JSON for a state (the per-order allocation table is a Map in memory). */
function toJson(state: unknown): unknown {
  const json = JSON.stringify(state, (_key, value: unknown) =>
    value instanceof Map ? Object.fromEntries(value as Map<string, unknown>) : value,
  );
  return JSON.parse(json) as unknown;
}

@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('api/v1/admin')
export class AdminController {
  constructor(
    private readonly store: EventStore,
    private readonly history: HistoryReader,
  ) {}

  @Get('events/:aggregateId')
  @ApiOperation({
    summary: "An aggregate's durable event stream",
    description:
      'Read from Kafka itself (read-committed), not from the app: every event Kafka holds for the aggregate, ' +
      'as fresh as the request. The state store only notes where in its partition to start reading. 503 when Kafka cannot be read.',
  })
  @ApiQuery({ name: 'fromVersion', required: false })
  @ApiQuery({ name: 'type', required: false, enum: ['Order', 'Inventory'] })
  async events(
    @Param('aggregateId') aggregateId: string,
    @Query('fromVersion') fromVersion?: string,
    @Query('type') type?: string,
  ): Promise<AdminAnswer> {
    const from = versionParam('fromVersion', fromVersion) ?? 1;
    if (type !== undefined && type !== 'Order' && type !== 'Inventory') {
      throw new ValidationFailedError([{ field: 'type', message: 'type must be Order or Inventory' }]);
    }
    const candidates: AggregateType[] = type
      ? [type]
      : UUID_PATTERN.test(aggregateId)
        ? ['Order', 'Inventory']
        : ['Inventory'];
    for (const candidate of candidates) {
      const location = this.store.locate(candidate, aggregateId);
      if (location) {
        const events = await this.history.events(candidate, aggregateId, location, from, location.committed);
        return { success: true, data: { aggregateType: candidate, aggregateId, version: location.committed, events } };
      }
    }
    throw new DomainError(
      candidates[0] === 'Order' ? 'ORDER_NOT_FOUND' : 'PRODUCT_NOT_FOUND',
      `No events for aggregate ${aggregateId}.`,
      { aggregateId },
    );
  }

  @Get('aggregates/:kind/:id')
  @ApiOperation({
    summary: 'State of an aggregate as of a version (default: the latest)',
    description:
      "Folded from the aggregate's events read back from Kafka (read-committed), for any aggregate, old or new. " +
      '503 when Kafka cannot be read.',
  })
  @ApiQuery({ name: 'atVersion', required: false })
  async aggregate(
    @Param('kind') kind: string,
    @Param('id') id: string,
    @Query('atVersion') atVersion?: string,
  ): Promise<AdminAnswer> {
    if (kind !== 'orders' && kind !== 'inventory') {
      throw new ValidationFailedError([{ field: 'kind', message: 'kind must be orders or inventory' }]);
    }
    const type: AggregateType = kind === 'orders' ? 'Order' : 'Inventory';
    const location = this.store.locate(type, id);
    const notFound = type === 'Order' ? 'ORDER_NOT_FOUND' : 'PRODUCT_NOT_FOUND';
    if (!location) throw new DomainError(notFound, `No ${type} ${id}.`, { id });
    const latest = location.committed;
    const version = versionParam('atVersion', atVersion) ?? latest;
    if (version > latest) {
      throw new ValidationFailedError([{ field: 'atVersion', message: `atVersion must be at most ${latest}` }]);
    }
    return {
      success: true,
      data: {
        aggregateType: type,
        id,
        version,
        state: toJson(await this.history.stateAt(type, id, location, version)),
      },
    };
  }
}
