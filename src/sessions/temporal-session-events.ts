/**
 * The Temporal side of SessionEventSink: what the gateway reports becomes signals to the
 * session workflow (workflow id = session id). A StartTransaction nobody asked for starts
 * its session with signal-with-start, so every transaction is tracked and billed.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { chargingSession } from '../../workflows/charging-session';
import {
  chargerConnectionSignal,
  connectorStatusSignal,
  meterValueBatchSignal,
  transactionStartedSignal,
  transactionStoppedSignal,
  type CardPayment,
  type SessionTimings,
} from '../../workflows/session-messages';
import { SessionError } from './session-error';
import type { SessionEventSink } from './session-events';
import { signalIfRunning, withGatewayDeadline } from '../temporal/gateway-calls';
import { sessionStartAttributes } from '../temporal/search-attributes';

export interface TemporalSessionEventDeps {
  client: Client;
  /** The session workers' task queue. */
  taskQueue: string;
  timings: SessionTimings;
  /** StationId / DriverId search attributes for the Web UI; off on servers without them registered. */
  searchAttributes?: boolean;
  /** The card that pays a driver's charger-started session (src/payments/card-payment.ts); absent: every such session is on account. */
  cardPaymentFor?: (driverId: string | null) => Promise<CardPayment | undefined>;
}

/** The card for the session, or why a card driver's session cannot be paid. */
async function paymentOf(cardPaymentFor: TemporalSessionEventDeps['cardPaymentFor'], driverId: string | null): Promise<{ payment?: CardPayment; paymentRefusal?: string }> {
  if (!cardPaymentFor) return {};
  try {
    const payment = await cardPaymentFor(driverId);
    return payment ? { payment } : {};
  } catch (err) {
    // The charger has started already: the session is created anyway, and stops at once.
    if (err instanceof SessionError) return { paymentRefusal: err.message };
    throw err;
  }
}

export function createTemporalSessionEventSink({ client, taskQueue, timings, searchAttributes = true, cardPaymentFor }: TemporalSessionEventDeps): SessionEventSink {
  // The gateway has stored each event in PostgreSQL before forwarding it.
  const signal = (sessionId: string, send: (handle: WorkflowHandle) => Promise<void>) => signalIfRunning(client, sessionId, send);

  return {
    async transactionStarted(event) {
      if (!event.stationInitiated) {
        await signal(event.sessionId, (h) => h.signal(transactionStartedSignal, event));
        return;
      }
      const payment = await paymentOf(cardPaymentFor, event.driverId);
      await withGatewayDeadline(client, () => client.workflow.signalWithStart(chargingSession, {
        workflowId: event.sessionId,
        taskQueue,
        args: [
          {
            sessionId: event.sessionId,
            stationId: event.stationId,
            connectorId: event.connectorId,
            idTag: event.idTag,
            driverId: event.driverId,
            origin: 'charger',
            timings,
            indexStatus: searchAttributes,
            started: event,
            ...payment,
          },
        ],
        signal: transactionStartedSignal,
        signalArgs: [event],
        ...(searchAttributes ? { typedSearchAttributes: sessionStartAttributes(event, 'charging') } : {}),
      }));
    },
    meterValues: async (events) => {
      if (events.length > 0) await signal(events[0].sessionId, (h) => h.signal(meterValueBatchSignal, events));
    },
    transactionStopped: (event) => signal(event.sessionId, (h) => h.signal(transactionStoppedSignal, event)),
    chargerConnection: (event) => signal(event.sessionId, (h) => h.signal(chargerConnectionSignal, event)),
    connectorStatus: (event) => signal(event.sessionId, (h) => h.signal(connectorStatusSignal, event)),
  };
}
