import { IsIn, IsOptional, IsString } from 'class-validator';
import { PageQuery } from '../http/page.query';

/** The statuses an order with something left to ship can have. */
const QUEUE_STATUSES = ['REGISTERED', 'PARTIALLY_SHIPPED', 'PARTIALLY_DELIVERED'] as const;

export class QueueQuery extends PageQuery {
  @IsOptional()
  @IsString()
  @IsIn(QUEUE_STATUSES)
  status?: (typeof QUEUE_STATUSES)[number];
}
