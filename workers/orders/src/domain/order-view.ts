import type { Order, OrderBreakdown, OrderView, ShippingAddress } from "@edge-shop/contracts";
import type { OrderRecord } from "../db/queries/orders";

function lines(record: OrderRecord) {
  return record.items.map((i) => ({
    productId: i.productId,
    name: i.name,
    unitPrice: i.unitPrice,
    quantity: i.quantity,
    lineTotal: i.lineTotal,
  }));
}

/** How the order's total is made. */
export function breakdownOf(record: OrderRecord): OrderBreakdown {
  return {
    subtotal: record.subtotal,
    discountTotal: record.discountTotal,
    shippingTotal: record.shippingTotal,
    taxTotal: record.taxTotal,
    promotionCode: record.promotionCode,
    shippingOption: {
      id: record.shippingOptionId,
      name: record.shippingOptionName,
      amount: record.shippingTotal,
    },
  };
}

/** The public `order` shape of the API (DESIGN "Shapes"). */
export function toOrder(record: OrderRecord): Order {
  return {
    id: record.id,
    userId: record.userId,
    status: record.status,
    items: lines(record),
    ...breakdownOf(record),
    total: record.total,
    currency: record.currency,
    shippingAddress: JSON.parse(record.shippingAddress) as ShippingAddress,
    refundedTotal: record.refundedTotal,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
  };
}

/** The order as the RPC surface shows it to other services. */
export function toOrderView(record: OrderRecord): OrderView {
  return {
    id: record.id,
    userId: record.userId,
    status: record.status,
    items: lines(record),
    total: record.total,
    currency: record.currency,
    breakdown: breakdownOf(record),
    refundedTotal: record.refundedTotal,
  };
}
