import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLIENT_ID_PATTERN, DomainError } from '@of/domain';
import { ApiProductIdParam, ValidationFailedError } from '@of/platform';
import type { Filter } from 'mongodb';
import { ApiInventory, ApiInventoryList } from '../http/examples';
import { decodeCursor, DEFAULT_LIMIT, page, type Page } from '../http/pagination';
import { ServingReadModels } from '../projections/serving-read-models';
import type { InventoryStatusDocument } from './inventory-status.document';
import { inventoryStatusProjection } from './inventory-status.projection';
import { inventoryStatusView } from './inventory-status.view';
import { ListInventoryQuery } from './inventory.query';

@ApiTags('inventory')
@Controller('api/v1/inventory')
export class InventoryQueryController {
  constructor(private readonly readModels: ServingReadModels) {}

  @Get()
  @ApiOperation({ summary: 'InventoryStatus list, by product id' })
  @ApiInventoryList()
  async list(@Query() query: ListInventoryQuery): Promise<Page<Record<string, unknown>>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const filter: Filter<InventoryStatusDocument> = {};
    if (query.status) filter.status = query.status;
    const after = decodeCursor(query.cursor, 1);
    if (after) filter._id = { $gt: after[0] };
    const documents = await this.readModels.findSorted(inventoryStatusProjection, filter, { _id: 1 }, limit + 1);
    return page(documents, limit, inventoryStatusView, (document) => [document._id]);
  }

  @Get(':productId')
  @ApiProductIdParam()
  @ApiOperation({ summary: 'InventoryStatus of one product' })
  @ApiInventory()
  async get(@Param('productId') productId: string): Promise<{ success: true; data: Record<string, unknown> }> {
    if (!CLIENT_ID_PATTERN.test(productId)) {
      throw new ValidationFailedError([{ field: 'productId', message: 'productId must be 1-64 of A-Z a-z 0-9 . _ -' }]);
    }
    const document = await this.readModels.get(inventoryStatusProjection, productId);
    if (!document)
      throw new DomainError('PRODUCT_NOT_FOUND', `Product ${productId} does not exist (yet).`, { productId });
    return { success: true, data: inventoryStatusView(document) };
  }
}
