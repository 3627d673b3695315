import { escapeHtml, formatMoney } from "./format";

export interface Line {
  name: string;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
}

/** Line items as plain text, one per line, then the total. */
export function itemsText(items: Line[], total: number, currency: string, totalLabel = "Total"): string {
  const lines = items.map(
    (item) =>
      `  ${item.quantity} × ${item.name} @ ${formatMoney(item.unitPrice, currency)} = ${formatMoney(item.lineTotal, currency)}`,
  );
  return [...lines, `${totalLabel}: ${formatMoney(total, currency)}`].join("\n");
}

/** Line items as an HTML table with the total in its footer; product names are escaped. */
export function itemsHtml(items: Line[], total: number, currency: string, totalLabel = "Total"): string {
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
<tfoot><tr><th align="left" colspan="3">${escapeHtml(totalLabel)}</th><th align="right">${escapeHtml(formatMoney(total, currency))}</th></tr></tfoot>
</table>`;
}
