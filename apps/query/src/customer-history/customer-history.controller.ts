import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLIENT_ID_PATTERN, DomainError, formatMoney } from '@of/domain';
import { ApiCustomerIdParam, InfrastructureError, ValidationFailedError } from '@of/platform';
import { ApiCustomerHistory } from '../http/examples';
import { PageQuery } from '../http/page.query';
import { decodeCursor, DEFAULT_LIMIT, encodeCursor } from '../http/pagination';
import type { IdDocument } from '../projections/stored-document';
import { ProjectionsService } from '../projections/projections.service';
import type { CustomerOrderDocument } from './customer-history.document';
import { customerHistoryProjection } from './customer-history.projection';
import { type CustomerLedger, pagesBetween, spentMinor } from './customer-ledger';
import { CUSTOMER_LEDGERS, LEDGER_STORAGE } from './customer-ledger.step';

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

/** The read-model schema that brought customer ledgers (see READ_MODELS_SCHEMA). */
const LEDGERS_SINCE_SCHEMA = 2;

const NOT_A_CURSOR = [{ field: 'cursor', message: 'cursor is not a cursor this API gave out' }];

@ApiTags('customers')
@Controller('api/v1/customers')
export class CustomerHistoryController {
  constructor(private readonly projections: ProjectionsService) {}

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
    if (this.projections.schema < LEDGERS_SINCE_SCHEMA) {
      // Built before ledgers existed: the rebuild started on this version's first start fills them.
      throw new InfrastructureError(
        'READ_MODEL_UNAVAILABLE',
        'Customer histories are being rebuilt for this version of the read side; try again shortly.',
        30,
      );
    }
    const stored = await this.projections.collection<IdDocument>(CUSTOMER_LEDGERS).findOne({ _id: customerId });
    const ledger = stored ? (LEDGER_STORAGE.decode(stored) as CustomerLedger) : null;
    if (!ledger || ledger.orderCount === 0)
      throw new DomainError('CUSTOMER_NOT_FOUND', `No orders of customer ${customerId} (yet).`, { customerId });

    // Entries are numbered 0, 1, 2, ... as the ledger counted them; a page
    // shows the `limit` numbers below the cursor, newest first.
    const limit = query.limit ?? DEFAULT_LIMIT;
    const before = this.cursorOf(query.cursor, ledger.orderCount);
    const from = Math.max(0, before - limit);
    const pages = await Promise.all(
      pagesBetween(customerId, from, before).map((page) => this.projections.find(customerHistoryProjection, { page })),
    );
    const entries = pages
      .flat()
      .filter((entry) => entry.seq !== undefined && entry.seq >= from && entry.seq < before)
      .sort((a, b) => b.seq! - a.seq!);
    return {
      success: true,
      data: {
        customerId,
        orderCount: ledger.orderCount,
        totalSpent: Object.fromEntries(
          Object.entries(spentMinor(ledger)).map(([currency, minor]) => [currency, formatMoney(minor, currency)]),
        ),
        lastOrderAt: ledger.lastOrderAt,
        orders: entries.map(entryView),
      },
      nextCursor: from > 0 ? encodeCursor([String(from)]) : null,
    };
  }

  /** The number below which the page starts: the cursor's, or the count for the first page. */
  private cursorOf(cursor: string | undefined, orderCount: number): number {
    const decoded = decodeCursor(cursor, 1);
    if (!decoded) return orderCount;
    const before = Number(decoded[0]);
    if (!Number.isInteger(before) || before < 1 || before > orderCount) throw new ValidationFailedError(NOT_A_CURSOR);
    return before;
  }
}
