import { Injectable } from '@nestjs/common';
import {
  decideCancellation,
  decideRegistration,
  decideShipment,
  decideStatusUpdate,
  type ExistingOrder,
  type FulfillmentDecision,
  formatMoney,
  type InventoryLookup,
  type InventoryState,
  type ItemQuantity,
  orderDecider,
  type OrderState,
} from '@of/domain';
import { InvalidStatusRequestError } from '@of/platform';
import { assertIfMatch, type Decision } from '../command-handling/command-runner';
import { commandResponse } from '../command-handling/command-response';
import type { RequestContext } from '../command-handling/request-context';
import { EventStore } from '../event-store/event-store';
import type { RegisterOrderDto } from './dto/register-order.dto';
import { newOrderId } from './order-id';
import { toRegisterOrder } from './register-order.mapper';

/** Load, decide, and describe the append for every order command. */
@Injectable()
export class OrderCommandHandler {
  constructor(private readonly store: EventStore) {}

  register(dto: RegisterOrderDto): Decision {
    const orderId = newOrderId();
    const command = toRegisterOrder(dto, orderId);
    return this.decide(
      orderId,
      'minted',
      (order, inventoryOf) => decideRegistration(command, order, inventoryOf),
      () => {
        const order = this.order(orderId);
        return commandResponse(
          {
            orderId,
            version: order.version,
            status: order.state.status,
            totalCost: formatMoney(order.state.totalMinor, order.state.currency),
            currency: order.state.currency,
          },
          order.version,
          { status: 201, location: `/api/v1/orders/${orderId}` },
        );
      },
    );
  }

  ship(orderId: string, items: ItemQuantity[] | null, context: RequestContext): Decision {
    return this.decide(orderId, context, (order, inventoryOf) =>
      decideShipment({ type: 'ShipOrderItems', data: { orderId, items } }, order, inventoryOf),
    );
  }

  deliver(orderId: string, items: ItemQuantity[] | null, context: RequestContext): Decision {
    return this.decide(orderId, context, (order) => ({
      order: orderDecider.decide({ type: 'DeliverOrderItems', data: { orderId, items } }, order),
      inventory: [],
    }));
  }

  updateStatus(orderId: string, status: string, context: RequestContext): Decision {
    if (status !== 'SHIPPED' && status !== 'DELIVERED') {
      const hint = status.startsWith('PARTIALLY_')
        ? `Use POST /api/v1/orders/${orderId}/${status === 'PARTIALLY_SHIPPED' ? 'shipments' : 'deliveries'} with the items.`
        : status === 'CANCELLED'
          ? `Use DELETE /api/v1/orders/${orderId} to cancel.`
          : 'Only SHIPPED and DELIVERED can be set here.';
      throw new InvalidStatusRequestError(`The status cannot be set to ${status} directly. ${hint}`, {
        orderId,
        requestedStatus: status,
      });
    }
    return this.decide(orderId, context, (order, inventoryOf) =>
      decideStatusUpdate(orderId, status, order, inventoryOf),
    );
  }

  cancel(orderId: string, reason: string | null, context: RequestContext): Decision {
    return this.decide(orderId, context, (order, inventoryOf) =>
      decideCancellation({ type: 'CancelOrder', data: { orderId, reason } }, order, inventoryOf),
    );
  }

  private order(orderId: string): { state: ExistingOrder; version: number } {
    const { state, version } = this.store.read('Order', orderId);
    return { state: state as ExistingOrder, version };
  }

  /**
   * Reads the order and whatever products the decision looks at, remembering
   * each version read. An order id just minted (`newOrderId`) names no
   * order yet: it is not looked up.
   */
  private decide(
    orderId: string,
    context: RequestContext | 'minted',
    decide: (order: OrderState, inventoryOf: InventoryLookup) => FulfillmentDecision,
    respond?: Decision['respond'],
  ): Decision {
    const minted = context === 'minted';
    const order = minted ? { state: orderDecider.initialState(), version: 0 } : this.store.read('Order', orderId);
    if (!minted) assertIfMatch(context, order.version);
    const versionsRead = new Map<string, number>();
    const inventoryOf: InventoryLookup = (productId) => {
      const product = this.store.read('Inventory', productId);
      versionsRead.set(productId, product.version);
      return product.state as InventoryState;
    };
    const decision = decide(order.state as OrderState, inventoryOf);
    return {
      changes: [
        { type: 'Order', id: orderId, expectedVersion: order.version, events: decision.order, minted },
        ...decision.inventory.map((change) => ({
          type: 'Inventory' as const,
          id: change.productId,
          expectedVersion: versionsRead.get(change.productId) ?? 0,
          events: change.events,
        })),
      ],
      respond:
        respond ??
        (() => {
          const current = this.order(orderId);
          return commandResponse({ orderId, version: current.version, status: current.state.status }, current.version);
        }),
    };
  }
}
