/**
 * The simulated charger's side of the connection, the same for every OCPP version: an ocpp-rpc
 * RPCClient in strict mode whose schema failures are logged and emitted.
 */
import { once, type EventEmitter } from 'node:events';
import { RPCClient } from 'ocpp-rpc';
import type { Logger } from '../logger';

export interface SimulatorClientOptions {
  /** CSMS base URL (the identity is appended). */
  url: string;
  identity: string;
  protocol: 'ocpp1.6' | 'ocpp2.0.1';
  password?: string;
  reconnect?: boolean;
  callTimeoutMs?: number;
}

export function createSimulatorClient(options: SimulatorClientOptions, logger: Logger, events: EventEmitter): RPCClient {
  // ocpp-rpc's typings declare every option as required; it fills in defaults itself.
  const clientOptions = {
    endpoint: options.url.replace(/\/+$/, ''),
    identity: options.identity,
    protocols: [options.protocol],
    strictMode: true,
    password: options.password ?? null,
    reconnect: options.reconnect ?? false,
    callTimeoutMs: options.callTimeoutMs ?? 30_000,
    backoff: { initialDelay: 200, maxDelay: 5000, factor: 2, randomisationFactor: 0.2 },
  };
  const client = new RPCClient(clientOptions as unknown as ConstructorParameters<typeof RPCClient>[0]);
  client.on('strictValidationFailure', (event: { method: string; error: Error; outbound: boolean }) => {
    logger.warn({ method: event.method, outbound: event.outbound, err: event.error }, 'OCPP schema validation failed');
    events.emit('strictValidationFailure', event);
  });
  return client;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A forced close settles on the socket's 'close' event; connect() refuses while CLOSING. */
export async function waitUntilSocketClosed(client: RPCClient): Promise<void> {
  const CLOSING = 2;
  if (client.state === CLOSING) await once(client, 'close').catch(() => undefined);
  while (client.state === CLOSING) await delay(5);
}

/** Sends a notification that may be lost (status of a background procedure): false when offline or unanswered. */
export async function notifyIfOnline(client: RPCClient, online: boolean, logger: Logger, action: string, payload: object): Promise<boolean> {
  if (!online) return false;
  try {
    await client.call(action, payload);
    return true;
  } catch (err) {
    logger.debug({ err, action }, 'notification not delivered');
    return false;
  }
}
