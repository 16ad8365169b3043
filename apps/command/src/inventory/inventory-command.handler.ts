import { Injectable } from '@nestjs/common';
import {
  availableOf,
  DomainError,
  type ExistingInventory,
  type InventoryCommand,
  inventoryDecider,
  type InventoryState,
  statusOfInventory,
} from '@of/domain';
import { assertIfMatch, type Decision } from '../command-handling/command-runner';
import { commandResponse } from '../command-handling/command-response';
import type { RequestContext } from '../command-handling/request-context';
import { EventStore } from '../event-store/event-store';

/** Load, decide and describe the append for every inventory command. */
@Injectable()
export class InventoryCommandHandler {
  constructor(private readonly store: EventStore) {}

  handle(command: InventoryCommand, context: RequestContext): Decision {
    const { productId } = command.data;
    if (command.type === 'AllocateStock') this.assertOrderExists(command.data.orderId);
    const { state, version } = this.store.read('Inventory', productId);
    assertIfMatch(context, version);
    const events = inventoryDecider.decide(command, state as InventoryState);
    const created = !state.exists;
    return {
      changes: [{ type: 'Inventory', id: productId, expectedVersion: version, events }],
      respond: () => {
        const current = this.store.read('Inventory', productId);
        const product = current.state as ExistingInventory;
        return commandResponse(
          {
            productId,
            version: current.version,
            name: product.name,
            onHand: product.onHand,
            allocated: product.allocated,
            available: availableOf(product),
            status: statusOfInventory(product),
            created: created && events.length > 0,
          },
          current.version,
        );
      },
    };
  }

  /**
   * Stock allocated by hand must be held for a real order: orders are never
   * deleted, so one that exists now still exists when the append lands.
   */
  private assertOrderExists(orderId: string): void {
    if (!this.store.read('Order', orderId).state.exists) {
      throw new DomainError('ORDER_NOT_FOUND', `Order ${orderId} does not exist.`, { orderId });
    }
  }
}
