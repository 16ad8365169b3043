import { CLIENT_ID_PATTERN, MAX_ON_HAND } from '@of/domain';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, NotEquals } from 'class-validator';

export class SetStockDto {
  /** On-hand units. @example 120 */
  @IsInt()
  @Min(0)
  @Max(MAX_ON_HAND)
  quantity!: number;

  /** @example "Espresso beans 1 kg" */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;
}

export class AdjustStockDto {
  /** Positive to restock, negative for shrinkage. @example -3 */
  @IsInt()
  @NotEquals(0)
  @Min(-MAX_ON_HAND)
  @Max(MAX_ON_HAND)
  delta!: number;

  /** @example "damaged in transit" */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  reason!: string;
}

export class OrderQuantityDto {
  /** @example "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f" */
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: 'orderId must be 1-64 of A-Z a-z 0-9 . _ -' })
  orderId!: string;

  /** @example 2 */
  @IsInt()
  @Min(1)
  @Max(MAX_ON_HAND)
  quantity!: number;
}
