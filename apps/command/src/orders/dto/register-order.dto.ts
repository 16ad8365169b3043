import { CLIENT_ID_PATTERN, isCurrency, MAX_ORDER_LINES } from '@of/domain';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { IsMoneyInput } from '../../commands/money-input';
import { AddressDto } from './address.dto';
import { ItemQuantityDto } from './order-commands.dto';

@ValidatorConstraint({ name: 'isCurrency' })
class IsCurrencyCode implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isCurrency(value);
  }
  defaultMessage(): string {
    return 'currency must be an ISO 4217 code such as EUR';
  }
}

/** A line: a product and quantity (as in shipments), and its unit price. */
export class OrderItemDto extends ItemQuantityDto {
  @ApiProperty({
    oneOf: [{ type: 'number' }, { type: 'string' }],
    example: '29.99',
    description: 'Unit price, at most the currency minor digits',
  })
  @IsMoneyInput()
  price!: number | string;
}

export class RegisterOrderDto {
  /** @example "customer-42" */
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: 'customerId must be 1-64 of A-Z a-z 0-9 . _ -' })
  customerId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ORDER_LINES)
  @ArrayUnique((item: OrderItemDto | undefined) => item?.productId, {
    message: 'items must list each product at most once',
  })
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  items!: OrderItemDto[];

  @ValidateNested()
  @Type(() => AddressDto)
  shippingAddress!: AddressDto;

  /** Defaults to the shipping address. */
  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  billingAddress?: AddressDto;

  /** ISO 4217; defaults to EUR. @example "EUR" */
  @IsOptional()
  @IsString()
  @Validate(IsCurrencyCode)
  currency?: string;

  @ApiProperty({
    oneOf: [{ type: 'number' }, { type: 'string' }],
    required: false,
    example: '59.98',
    description: 'If given, must equal the sum of the lines',
  })
  @IsOptional()
  @IsMoneyInput()
  totalCost?: number | string;

  /** When the order was issued upstream; kept as sent. @example "2026-11-20T09:30:00Z" */
  @IsOptional()
  @IsISO8601({ strict: true })
  issuedAt?: string;
}
