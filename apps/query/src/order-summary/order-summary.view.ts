import { formatMoney } from '@of/domain';
import type { OrderSummaryDocument } from './order-summary.document';

export function orderSummaryView(document: OrderSummaryDocument): Record<string, unknown> {
  const money = (minor: number): string => formatMoney(minor, document.currency);
  return {
    orderId: document._id,
    customerId: document.customerId,
    status: document.status,
    currency: document.currency,
    totalCost: money(document.totalMinor),
    lines: document.lines.map((line) => ({
      productId: line.productId,
      ordered: line.ordered,
      shipped: line.shipped,
      delivered: line.delivered,
      unitPrice: money(line.unitPriceMinor),
      lineTotal: money(line.unitPriceMinor * line.ordered),
    })),
    shippingAddress: document.shippingAddress,
    billingAddress: document.billingAddress,
    issuedAt: document.issuedAt,
    createdAt: document.createdAt,
    updatedAt: document.updatedAt,
    cancelledAt: document.cancelledAt,
    cancellationReason: document.cancellationReason,
    version: document.version,
  };
}
