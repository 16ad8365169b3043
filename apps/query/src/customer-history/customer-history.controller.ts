import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLIENT_ID_PATTERN, DomainError, formatMoney } from '@of/domain';
import { ApiCustomerIdParam, ValidationFailedError } from '@of/platform';
import { ApiCustomerHistory } from '../http/examples';
import { PageQuery } from '../http/page.query';
import { decodeCursor, DEFAULT_LIMIT, encodeCursor } from '../http/pagination';
import { ServingReadModels } from '../projections/serving-read-models';
import type { CustomerOrderDocument } from './customer-history.document';
import { spentMinor } from './customer-ledger';
import { decodeBefore, readCustomerOrders, readLedger } from './customer-pages';

function entryView(entry: CustomerOrderDocument): Record<string, unknown> {
  return {
    orderId: entry._id,
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
  constructor(private readonly readModels: ServingReadModels) {}

  @Get(':customerId/orders')
  @ApiCustomerIdParam()
  @ApiOperation({
    summary: "A customer's orders, newest first, with order count, total spent per currency and last order time",
    description:
      'Reads the customer summary, kept as events arrive, and one page of entries: the cost follows `limit`, not ' +
      "the customer's number of orders. Orders are listed in the order the read side counted them, newest first.",
  })
  @ApiCustomerHistory()
  async history(@Param('customerId') customerId: string, @Query() query: PageQuery): Promise<Record<string, unknown>> {
    if (!CLIENT_ID_PATTERN.test(customerId)) {
      throw new ValidationFailedError([
        { field: 'customerId', message: 'customerId must be 1-64 of A-Z a-z 0-9 . _ -' },
      ]);
    }
    const ledger = await readLedger(this.readModels, customerId);
    if (!ledger)
      throw new DomainError('CUSTOMER_NOT_FOUND', `No orders of customer ${customerId} (yet).`, { customerId });
    const page = await readCustomerOrders(this.readModels, ledger, {
      before: decodeBefore(decodeCursor(query.cursor, 1), ledger.orderCount),
      limit: query.limit ?? DEFAULT_LIMIT,
    });
    return {
      success: true,
      data: {
        customerId,
        orderCount: ledger.orderCount,
        totalSpent: Object.fromEntries(
          Object.entries(spentMinor(ledger)).map(([currency, minor]) => [currency, formatMoney(minor, currency)]),
        ),
        lastOrderAt: ledger.lastOrderAt,
        orders: page.entries.map(entryView),
      },
      nextCursor: page.next === null ? null : encodeCursor([String(page.next)]),
    };
  }
}
