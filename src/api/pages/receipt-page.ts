/**
 * A printable HTML receipt: the session, one row per line item (energy per time-of-use period,
 * charging time, idle time, session fee, minimum/maximum, rounding), subtotal, tax and total.
 * Amounts are the exact decimal strings from the receipt, never re-computed here, except to tell
 * whether the lines are gross (they sum to the total: the tariff's prices include tax).
 */
import Big from 'big.js';
import { revokedIdTagFlag, type Receipt } from '../../../workflows/session-messages';
import { escapeHtml } from './html';

function linesAreGross(receipt: Receipt): boolean {
  if (!receipt.line_items?.length || !receipt.tax_exact || new Big(receipt.tax_exact).eq(0)) return false;
  const sum = receipt.line_items.reduce((acc, l) => acc.plus(l.amount), new Big(0));
  return sum.eq(receipt.total_cost_exact) && !sum.eq(receipt.subtotal_exact ?? receipt.total_cost_exact);
}

/** What happened on the card: held, taken, given back. */
function paymentTable(receipt: Receipt): string {
  const p = receipt.payment;
  if (!p) return '';
  const card = p.method.brand || p.method.last4 ? `${p.method.brand ?? 'card'} ending ${p.method.last4 ?? '????'}` : '—';
  const money = (amount: string) => `${amount} ${p.currency}`;
  const rows: Array<[string, string]> = [
    ['Paid with', card],
    ['Payment status', p.status + (p.failure_reason ? ` (${p.failure_reason})` : '')],
    ['Authorized (held)', money(p.authorized)],
    ['Captured', money(p.captured)],
    ['Released', money(p.released)],
    ['Refunded', money(p.refunded)],
    ['Provider reference', p.reference ? `${p.provider} ${p.reference}` : p.provider],
  ];
  return `<h2>Payment</h2>\n<table class="payment">\n${rows.map(([label, value]) => `<tr><td>${escapeHtml(label)}</td><td>${escapeHtml(value)}</td></tr>`).join('\n')}\n</table>`;
}

export function renderReceiptPage(receipt: Receipt): string {
  const currency = escapeHtml(receipt.currency);
  const rows: Array<[string, unknown]> = [
    ['Session', receipt.session_id],
    ['Station', `${receipt.station_id}, connector ${receipt.connector_id}`],
    ['Status', receipt.status + (receipt.stop_reason ? ` (${receipt.stop_reason})` : '')],
    ['Start', receipt.start_time ?? '—'],
    ['End', receipt.end_time ?? '—'],
    ['Meter start', receipt.meter_start === null ? '—' : `${receipt.meter_start} Wh`],
    ['Meter stop', receipt.meter_stop === null ? '—' : `${receipt.meter_stop} Wh`],
    ['Energy', `${receipt.energy_kwh_exact} kWh`],
    ['Tariff', receipt.tariff_id ? `${receipt.tariff_id} v${receipt.tariff_version ?? '?'}` : '—'],
    ['State of charge', receipt.soc === null ? '—' : `${receipt.soc} %`],
  ];
  const lines = receipt.line_items ?? [];
  const gross = linesAreGross(receipt);
  const lineRows = lines
    .map(
      (l) =>
        `<tr class="line"><td>${escapeHtml(l.description)}</td><td class="num">${escapeHtml(l.quantity)} ${escapeHtml(l.unit)}</td>` +
        `<td class="num">${escapeHtml(l.unit_price)}</td><td class="num">${escapeHtml(l.amount)} ${currency}</td></tr>`,
    )
    .join('\n');
  const subtotal = receipt.subtotal_exact ?? receipt.total_cost_exact;
  const tax = receipt.tax_exact ?? '0';
  const flags = receipt.flags.length ? `<p class="flags">Note: ${receipt.flags.map(escapeHtml).join(', ')}</p>` : '';
  // Said in words too: the charge stands (the energy was delivered), the authorization is for review.
  const revoked = receipt.flags.includes(revokedIdTagFlag)
    ? '<p class="flags revoked">The charger authorized this charge itself with an id tag that had been revoked (blocked, expired or removed) in the meantime; it is billed as delivered and flagged for review.</p>'
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Receipt ${escapeHtml(receipt.session_id)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}
table{width:100%;border-collapse:collapse;margin-bottom:1.5rem}
th{text-align:left;font-weight:600;border-bottom:2px solid #222;padding:.3rem .4rem .3rem 0}
td{padding:.3rem .4rem .3rem 0;border-bottom:1px solid #ddd;vertical-align:top}
td:last-child,th:last-child{text-align:right;padding-right:0}.num{text-align:right;white-space:nowrap}
.sum td{border-bottom:none}.total td{font-weight:bold;font-size:1.2rem;border-top:2px solid #222}
.flags{color:#a40}.basis{color:#555;font-size:.9rem}
.print{margin-top:1rem}
@media print{
  @page{margin:15mm}
  body{max-width:none;margin:0;padding:0;font-size:11pt;color:#000}
  .print{display:none}
  a{color:#000;text-decoration:none}
  td,th{border-color:#999}
  table{page-break-inside:avoid}
}
</style>
</head><body>
<h1>Charging receipt</h1>
<table class="details">
${rows.map(([label, value]) => `<tr><td>${escapeHtml(label)}</td><td>${escapeHtml(value)}</td></tr>`).join('\n')}
</table>
<table class="items">
<thead><tr><th>Item</th><th class="num">Quantity</th><th class="num">Unit price</th><th>Amount</th></tr></thead>
<tbody>
${lineRows}
<tr class="sum"><td colspan="3">Subtotal${gross ? ' (excl. tax)' : ''}</td><td class="num">${escapeHtml(subtotal)} ${currency}</td></tr>
<tr class="sum"><td colspan="3">Tax</td><td class="num">${escapeHtml(tax)} ${currency}</td></tr>
<tr class="total"><td colspan="3">Total</td><td class="num">${escapeHtml(receipt.total_cost_exact)} ${currency}</td></tr>
</tbody>
</table>
${gross ? '<p class="basis">Line amounts include tax.</p>' : ''}
${paymentTable(receipt)}
${flags}
${revoked}
<p class="print"><button onclick="window.print()">Print</button></p>
</body></html>
`;
}
