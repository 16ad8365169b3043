import { DEFAULT_CURRENCY, MoneyFormatError, parseMoney, type RegisterOrder } from '@of/domain';
import { type FieldError, ValidationFailedError } from '@of/platform';
import type { RegisterOrderDto } from './dto/register-order.dto';

/** Turns a validated request into the domain command; money is parsed exactly per currency. */
export function toRegisterOrder(dto: RegisterOrderDto, orderId: string): RegisterOrder {
  const currency = dto.currency ?? DEFAULT_CURRENCY;
  const errors: FieldError[] = [];
  const money = (value: number | string, field: string): number => {
    try {
      return parseMoney(value, currency);
    } catch (error) {
      if (!(error instanceof MoneyFormatError)) throw error;
      errors.push({ field, message: `${field} ${error.message}` });
      return 0;
    }
  };
  const lines = dto.items.map((item, index) => ({
    productId: item.productId,
    quantity: item.quantity,
    unitPriceMinor: money(item.price, `items[${index}].price`),
  }));
  const expectedTotalMinor = dto.totalCost === undefined ? null : money(dto.totalCost, 'totalCost');
  if (errors.length > 0) throw new ValidationFailedError(errors);
  const address = (value: RegisterOrderDto['shippingAddress']) => ({
    street: value.street,
    city: value.city,
    state: value.state,
    zipcode: value.zipcode,
    country: value.country,
  });
  return {
    type: 'RegisterOrder',
    data: {
      orderId,
      customerId: dto.customerId,
      currency,
      lines,
      shippingAddress: address(dto.shippingAddress),
      billingAddress: address(dto.billingAddress ?? dto.shippingAddress),
      expectedTotalMinor,
      issuedAt: dto.issuedAt ?? null,
    },
  };
}
