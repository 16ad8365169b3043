import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Filter } from 'mongodb';
import { creationOrderPage } from '../read-store/creation-order-page';
import { ApiQueue } from '../http/examples';
import { decodeCursor, DEFAULT_LIMIT, type Page } from '../http/pagination';
import { ServingReadModels } from '../projections/serving-read-models';
import type { FulfillmentQueueDocument } from './fulfillment-queue.document';
import { fulfillmentQueueProjection } from './fulfillment-queue.projection';
import { QueueQuery } from './fulfillment-queue.query';

function queueView(document: FulfillmentQueueDocument): Record<string, unknown> {
  return {
    orderId: document._id,
    customerId: document.customerId,
    status: document.status,
    createdAt: document.createdAt,
    itemsRemaining: document.itemsRemaining,
    lines: document.lines
      .filter((line) => line.remaining > 0)
      .map((line) => ({
        productId: line.productId,
        ordered: line.ordered,
        shipped: line.shipped,
        remaining: line.remaining,
      })),
    shipTo: document.shippingAddress,
    version: document.version,
  };
}

@ApiTags('fulfillment')
@Controller('api/v1/fulfillment')
export class FulfillmentQueueController {
  constructor(private readonly readModels: ServingReadModels) {}

  @Get('queue')
  @ApiOperation({ summary: 'Orders still to ship, oldest first, with the quantities left per line' })
  @ApiQueue()
  async queue(@Query() query: QueueQuery): Promise<Page<Record<string, unknown>>> {
    const filter: Filter<FulfillmentQueueDocument> = { open: true };
    if (query.status) filter.status = query.status;
    const after = decodeCursor(query.cursor, 2) as [string, string] | null;
    const limit = query.limit ?? DEFAULT_LIMIT;
    return creationOrderPage(
      this.readModels,
      fulfillmentQueueProjection,
      { filter, order: 'oldest', after, limit },
      queueView,
    );
  }
}
