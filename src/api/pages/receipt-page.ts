/**
 * A printable HTML receipt. Amounts are the exact decimal strings from the receipt, never
 * re-computed here. (When BILLING's src/billing/receipt-html.ts lands it can replace this.)
 */
import type { Receipt } from '../../../workflows/session-messages';
import { escapeHtml } from './html';

export function renderReceiptPage(receipt: Receipt): string {
  const rows: Array<[string, unknown]> = [
    ['Session', receipt.session_id],
    ['Station', `${receipt.station_id}, connector ${receipt.connector_id}`],
    ['Status', receipt.status + (receipt.stop_reason ? ` (${receipt.stop_reason})` : '')],
    ['Start', receipt.start_time ?? '—'],
    ['End', receipt.end_time ?? '—'],
    ['Meter start', receipt.meter_start === null ? '—' : `${receipt.meter_start} Wh`],
    ['Meter stop', receipt.meter_stop === null ? '—' : `${receipt.meter_stop} Wh`],
    ['Energy', `${receipt.energy_kwh_exact} kWh`],
    ['Rate', `${receipt.rate_per_kwh_exact} ${receipt.currency}/kWh`],
    ['State of charge', receipt.soc === null ? '—' : `${receipt.soc} %`],
  ];
  const flags = receipt.flags.length ? `<p class="flags">Note: ${receipt.flags.map(escapeHtml).join(', ')}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Receipt ${escapeHtml(receipt.session_id)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;color:#222}table{width:100%;border-collapse:collapse}
td{padding:.3rem 0;border-bottom:1px solid #ddd}td:last-child{text-align:right}.total td{font-weight:bold;border-bottom:none;font-size:1.2rem}.flags{color:#a40}</style>
</head><body>
<h1>Charging receipt</h1>
<table>
${rows.map(([label, value]) => `<tr><td>${escapeHtml(label)}</td><td>${escapeHtml(value)}</td></tr>`).join('\n')}
<tr class="total"><td>Total</td><td>${escapeHtml(receipt.total_cost_exact)} ${escapeHtml(receipt.currency)}</td></tr>
</table>
${flags}
</body></html>
`;
}
