/**
 * GetBaseReport (B07): the station sends its device model in NotifyReport messages under the
 * requestId issued here (ocpp201_requests, kind 'report'), which the NotifyReport handler stores.
 */
import { translated, type Translator201 } from './translator';

export const getBaseReport: Translator201<'GetBaseReport'> = async ({ reportBase }, { stationId, storage }) => {
  const requestId = await storage.commands201.recordRequest(stationId, 'report');
  return translated('GetBaseReport', { requestId, reportBase }, (reply) => ({ status: reply.status, requestId }));
};
