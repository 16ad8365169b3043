import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLIENT_ID_PATTERN, DomainError, formatMoney } from '@of/domain';
import { ApiCustomerIdParam, ValidationFailedError } from '@of/platform';
import { PageQuery } from '../http/page.query';
import { decodeCursor, DEFAULT_LIMIT, page } from '../http/pagination';
import { ApiCustomerHistory } from '../http/examples';
import { ProjectionsService } from '../projections/projections.service';
import type { CustomerOrderEntry } from './customer-history.document';
import { customerHistoryProjection, summarizeCustomer } from './customer-history.projection';

function entryView(entry: CustomerOrderEntry): Record<string, unknown> {
  return {
    orderId: entry.orderId,
    status: entry.status,
    currency: entry.currency,
    totalCost: formatMoney(entry.totalMinor, entry.currency),
    itemCount: entry.itemCount,
    createdAt: entry.createdAt,
    version: entry.version,
  };
}

@ApiTags('customers')
@Controller('api/v1/customers')
export class CustomerHistoryController {
  constructor(private readonly projections: ProjectionsService) {}

  @Get(':customerId/orders')
  @ApiCustomerIdParam()
  @ApiOperation({
    summary: "A customer's orders, newest first, with order count, total spent per currency and last order time",
  })
  @ApiCustomerHistory()
  async history(@Param('customerId') customerId: string, @Query() query: PageQuery): Promise<Record<string, unknown>> {
    if (!CLIENT_ID_PATTERN.test(customerId)) {
      throw new ValidationFailedError([
        { field: 'customerId', message: 'customerId must be 1-64 of A-Z a-z 0-9 . _ -' },
      ]);
    }
    const entries = await this.projections.find(customerHistoryProjection, { customerId });
    if (entries.length === 0)
      throw new DomainError('CUSTOMER_NOT_FOUND', `No orders of customer ${customerId} (yet).`, { customerId });
    const summary = summarizeCustomer(customerId, entries);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = decodeCursor(query.cursor, 2);
    // Entries are kept newest first; the cursor is the last (createdAt, orderId) seen.
    const rest = after
      ? summary.orders.filter(
          (entry) => entry.createdAt < after[0] || (entry.createdAt === after[0] && entry.orderId < after[1]),
        )
      : summary.orders;
    const orders = page(rest.slice(0, limit + 1), limit, entryView, (entry) => [entry.createdAt, entry.orderId]);
    return {
      success: true,
      data: {
        customerId,
        orderCount: summary.orderCount,
        totalSpent: Object.fromEntries(
          Object.entries(summary.totalSpentMinor).map(([currency, minor]) => [currency, formatMoney(minor, currency)]),
        ),
        lastOrderAt: summary.lastOrderAt,
        orders: orders.data,
      },
      nextCursor: orders.nextCursor,
    };
  }
}
