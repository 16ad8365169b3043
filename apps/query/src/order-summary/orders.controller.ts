import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLIENT_ID_PATTERN, DomainError, UUID_PATTERN } from '@of/domain';
import { ApiOrderIdParam, ValidationFailedError } from '@of/platform';
import type { Filter } from 'mongodb';
import { creationOrderPage } from '../read-store/creation-order-page';
import { ApiOrder, ApiOrderList } from '../http/examples';
import { decodeCursor, DEFAULT_LIMIT, type Page } from '../http/pagination';
import { ServingReadModels } from '../projections/serving-read-models';
import type { OrderSummaryDocument } from './order-summary.document';
import { orderSummaryProjection } from './order-summary.projection';
import { orderSummaryView } from './order-summary.view';
import { ListOrdersQuery, OrderQuery } from './orders.query';

/** How long `minVersion` may hold a request. */
const MAX_WAIT_MS = 3000;

@ApiTags('orders')
@Controller('api/v1/orders')
export class OrdersQueryController {
  constructor(private readonly readModels: ServingReadModels) {}

  @Get()
  @ApiOperation({ summary: 'OrderSummary list, newest first' })
  @ApiOrderList()
  async list(@Query() query: ListOrdersQuery): Promise<Page<Record<string, unknown>>> {
    const after = decodeCursor(query.cursor, 2) as [string, string] | null;
    const filter: Filter<OrderSummaryDocument> = {};
    if (query.customerId) filter.customerId = query.customerId;
    if (query.status) filter.status = query.status;
    return creationOrderPage(
      this.readModels,
      orderSummaryProjection,
      { filter, order: 'newest', after, limit: query.limit ?? DEFAULT_LIMIT },
      orderSummaryView,
    );
  }

  @Get(':orderId')
  @ApiOrderIdParam()
  @ApiOperation({ summary: 'One OrderSummary; with minVersion, waits briefly for the read model to reach it' })
  @ApiOrder()
  async get(
    @Param('orderId') orderId: string,
    @Query() query: OrderQuery,
  ): Promise<{ success: true; data: Record<string, unknown> }> {
    // Any id of the client-id form may name an order: unknown ones are 404, as in the reference system.
    if (!CLIENT_ID_PATTERN.test(orderId)) {
      throw new ValidationFailedError([{ field: 'orderId', message: 'orderId must be 1-64 of A-Z a-z 0-9 . _ -' }]);
    }
    const id = UUID_PATTERN.test(orderId) ? orderId.toLowerCase() : orderId;
    const document = await this.readModels.readAtLeast(orderSummaryProjection, id, query.minVersion ?? 0, MAX_WAIT_MS);
    if (!document) throw new DomainError('ORDER_NOT_FOUND', `Order ${id} does not exist (yet).`, { orderId: id });
    return { success: true, data: orderSummaryView(document) };
  }
}
