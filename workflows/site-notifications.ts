/**
 * The charging session's hook into site load management: one signal to the site's workflow
 * when charging begins and one when it ends, only for a station in a site. A site whose
 * workflow is not running is not told (the session charges on; the operator's next change of
 * the site starts its workflow again).
 */
import { getExternalWorkflowHandle, isCancellation, log, proxyLocalActivities } from '@temporalio/workflow';
import type { SiteActivities } from './site-activities';
import { siteSessionChargingSignal, siteSessionEndedSignal, siteWorkflowId, type SiteSessionChargingEvent, type SiteSessionEndedEvent } from './site-messages';

const sites = proxyLocalActivities<Pick<SiteActivities, 'siteOfStation'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** The site the station is in, told that charging began; null when the station is in none. */
export async function notifySiteCharging(event: SiteSessionChargingEvent): Promise<string | null> {
  const siteId = await sites.siteOfStation(event.stationId);
  if (siteId) await signalSite(siteId, (h) => h.signal(siteSessionChargingSignal, event));
  return siteId;
}

export async function notifySiteEnded(siteId: string, event: SiteSessionEndedEvent): Promise<void> {
  await signalSite(siteId, (h) => h.signal(siteSessionEndedSignal, event));
}

async function signalSite(siteId: string, send: (h: ReturnType<typeof getExternalWorkflowHandle>) => Promise<void>): Promise<void> {
  try {
    await send(getExternalWorkflowHandle(siteWorkflowId(siteId)));
  } catch (err) {
    if (isCancellation(err)) throw err;
    log.warn('the site load manager is not running; the session is not managed by it', { siteId, error: String(err) });
  }
}
