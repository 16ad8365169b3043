// Query latency at a fixed request rate: order by id, and customer history.
import { GATEWAY, load, type LoadResult } from './support';

export interface QueriesFigures {
  orderById: LoadResult;
  customerHistory: LoadResult;
}

export async function benchQueries(options: {
  rate: number;
  seconds: number;
  orderIds: readonly string[];
  customerIds: readonly string[];
}): Promise<QueriesFigures> {
  const rotating = (paths: readonly string[]) => {
    let next = 0;
    return [{ setupRequest: (request: { path?: string }) => ({ ...request, path: paths[next++ % paths.length] }) }];
  };
  // Enough connections that the client is not what limits the rate: with 32, a
  // p50 of 40 ms already capped it below 1,000/s.
  const common = { url: GATEWAY, connections: 128, duration: options.seconds, overallRate: options.rate };
  const orderById = await load({
    ...common,
    requests: rotating(options.orderIds.map((id) => `/api/v1/orders/${id}`)),
  });
  const customerHistory = await load({
    ...common,
    requests: rotating(options.customerIds.map((id) => `/api/v1/customers/${id}/orders`)),
  });
  return { orderById, customerHistory };
}
