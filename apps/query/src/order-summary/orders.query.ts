import { CLIENT_ID_PATTERN, ORDER_STATUSES, type OrderStatus } from '@of/domain';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { PageQuery } from '../http/page.query';
import { WholeNumberParam } from '../http/query-params';

export class ListOrdersQuery extends PageQuery {
  @IsOptional()
  @IsString()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

  /** @example "customer-42" */
  @IsOptional()
  @Matches(CLIENT_ID_PATTERN, { message: 'customerId must be 1-64 of A-Z a-z 0-9 . _ -' })
  @IsString()
  customerId?: string;
}

export class OrderQuery {
  /** Wait (briefly) until the read model has reached this version: read-your-writes. @example 3 */
  @IsOptional()
  @WholeNumberParam(1, 1_000_000_000)
  minVersion?: number;
}
