import type { OrderBreakdown } from "@edge-shop/contracts";
import { escapeHtml, formatMoney } from "./format";

export interface Line {
  name: string;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
}

/** The breakdown's figures above the total (subtotal, discount, shipping, tax), as label and signed amount. */
function breakdownRows(breakdown: OrderBreakdown | undefined): [string, number][] {
  if (!breakdown) return [];
  const code = breakdown.promotionCode;
  return [
    ["Subtotal", breakdown.subtotal],
    ...(breakdown.discountTotal > 0 || code
      ? [[`Discount${code ? ` (${code})` : ""}`, -breakdown.discountTotal] as [string, number]]
      : []),
    [`Shipping (${breakdown.shippingOption.name})`, breakdown.shippingTotal],
    ["Tax", breakdown.taxTotal],
  ];
}

const signed = (amount: number, currency: string) =>
  amount < 0 ? `−${formatMoney(-amount, currency)}` : formatMoney(amount, currency);

/** Line items as plain text, one per line, then the breakdown (when given) and the total. */
export function itemsText(
  items: Line[],
  total: number,
  currency: string,
  totalLabel = "Total",
  breakdown?: OrderBreakdown,
): string {
  const lines = items.map(
    (item) =>
      `  ${item.quantity} × ${item.name} @ ${formatMoney(item.unitPrice, currency)} = ${formatMoney(item.lineTotal, currency)}`,
  );
  const figures = breakdownRows(breakdown).map(([label, amount]) => `${label}: ${signed(amount, currency)}`);
  return [...lines, ...figures, `${totalLabel}: ${formatMoney(total, currency)}`].join("\n");
}

/** Line items as an HTML table with the breakdown (when given) and the total in its footer; names are escaped. */
export function itemsHtml(
  items: Line[],
  total: number,
  currency: string,
  totalLabel = "Total",
  breakdown?: OrderBreakdown,
): string {
  const cell = 'style="padding:4px 8px;border-bottom:1px solid #eee"';
  const right = 'style="padding:4px 8px;border-bottom:1px solid #eee;text-align:right"';
  const rows = items
    .map(
      (item) =>
        `<tr><td ${cell}>${escapeHtml(item.name)}</td><td ${right}>${item.quantity}</td>` +
        `<td ${right}>${escapeHtml(formatMoney(item.unitPrice, currency))}</td>` +
        `<td ${right}>${escapeHtml(formatMoney(item.lineTotal, currency))}</td></tr>`,
    )
    .join("\n");
  return `<table style="border-collapse:collapse;width:100%">
<thead><tr><th align="left">Item</th><th align="right">Qty</th><th align="right">Price</th><th align="right">Amount</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot>${breakdownRows(breakdown)
    .map(
      ([label, amount]) =>
        `<tr><td colspan="3">${escapeHtml(label)}</td><td align="right">${escapeHtml(signed(amount, currency))}</td></tr>`,
    )
    .join(
      "",
    )}<tr><th align="left" colspan="3">${escapeHtml(totalLabel)}</th><th align="right">${escapeHtml(formatMoney(total, currency))}</th></tr></tfoot>
</table>`;
}
