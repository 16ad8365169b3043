import type { InventoryStatus } from '@of/domain';
import type { ReadModelDocument } from '../projections/projection';

export interface InventoryStatusDocument extends ReadModelDocument {
  name: string | null;
  onHand: number;
  allocated: number;
  available: number;
  status: InventoryStatus;
  discontinued: boolean;
  createdAt: string;
  updatedAt: string;
}
