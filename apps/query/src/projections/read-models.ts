import { customerHistoryProjection } from '../customer-history/customer-history.projection';
import { fulfillmentQueueProjection } from '../fulfillment-queue/fulfillment-queue.projection';
import { inventoryStatusProjection } from '../inventory-status/inventory-status.projection';
import { orderSummaryProjection } from '../order-summary/order-summary.projection';
import type { Projection } from './projection';

/** Every read model the query app maintains. */
export const READ_MODELS: readonly Projection[] = [
  orderSummaryProjection,
  inventoryStatusProjection,
  fulfillmentQueueProjection,
  customerHistoryProjection,
];
