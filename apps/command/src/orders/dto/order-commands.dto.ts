import { CLIENT_ID_PATTERN, MAX_LINE_QUANTITY, ORDER_STATUSES, type OrderStatus } from '@of/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export class UpdateOrderStatusDto {
  /** SHIPPED or DELIVERED; partial steps use the shipments and deliveries endpoints. @example "SHIPPED" */
  @IsString()
  @IsIn(ORDER_STATUSES)
  status!: OrderStatus;
}

export class ItemQuantityDto {
  /** @example "sku-espresso-1kg" */
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: 'productId must be 1-64 of A-Z a-z 0-9 . _ -' })
  productId!: string;

  /** @example 1 */
  @IsInt()
  @Min(1)
  @Max(MAX_LINE_QUANTITY)
  quantity!: number;
}

export class ItemsDto {
  /** Omitted: everything that is left. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique((item: ItemQuantityDto | undefined) => item?.productId, {
    message: 'items must list each product at most once',
  })
  @ValidateNested({ each: true })
  @Type(() => ItemQuantityDto)
  items?: ItemQuantityDto[];
}

export class CancelOrderDto {
  /** @example "customer changed their mind" */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
