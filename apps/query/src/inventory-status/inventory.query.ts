import { INVENTORY_STATUSES, type InventoryStatus } from '@of/domain';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { PageQuery } from '../http/page.query';

export class ListInventoryQuery extends PageQuery {
  @IsOptional()
  @IsString()
  @IsIn(INVENTORY_STATUSES)
  status?: InventoryStatus;
}
