/**
 * The OCPP load generator: raw `ws` clients (no OCPP library on the client side, so the client costs
 * the same against either server), each with one CALL in flight as OCPP 1.6-J requires, sending
 * pre-built MeterValues frames. The frames are byte-for-byte the same whichever server answers.
 */
import WebSocket from 'ws';
import { summarize } from './stats';

export interface LoadClient {
  id: string;
  socket: WebSocket;
  /** Resolves with the parsed reply to a CALL with this message id. */
  call(messageId: string, frame: string): Promise<unknown[]>;
}

export async function openClients(url: string, ids: string[], password: string, concurrency = 50): Promise<LoadClient[]> {
  const clients: LoadClient[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, ids.length) }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        clients.push(await openClient(url, id, password));
      }
    }),
  );
  return clients;
}

export function openClient(url: string, id: string, password: string): Promise<LoadClient> {
  const socket = new WebSocket(`${url}/${encodeURIComponent(id)}`, ['ocpp1.6'], {
    headers: { authorization: 'Basic ' + Buffer.from(`${id}:${password}`).toString('base64') },
  });
  const waiting = new Map<string, (reply: unknown[]) => void>();
  socket.on('message', (data) => {
    const msg = JSON.parse(String(data)) as unknown[];
    if (msg[0] === 2 && typeof msg[1] === 'string' && !waiting.has(msg[1])) {
      // A command from the server (none expected here): a valid refusal, so nothing waits.
      socket.send(JSON.stringify([4, msg[1], 'NotSupported', 'the load client takes no commands', {}]));
      return;
    }
    const resolve = waiting.get(String(msg[1]));
    if (resolve) {
      waiting.delete(String(msg[1]));
      resolve(msg);
    }
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`${id}: HTTP ${res.statusCode}`)));
    socket.once('open', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      const client: LoadClient = {
        id,
        socket,
        call(messageId, frame) {
          return new Promise((res) => {
            waiting.set(messageId, res);
            socket.send(frame);
          });
        },
      };
      // Boots as a charger does on connecting (else the gateway asks it for its connector statuses).
      const bootId = `${id}-boot`;
      client.call(bootId, JSON.stringify([2, bootId, 'BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'Load' }])).then(() => resolve(client), reject);
    });
  });
}

export async function closeClients(clients: LoadClient[]): Promise<void> {
  await Promise.all(
    clients.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.socket.readyState === WebSocket.CLOSED) return resolve();
          c.socket.once('close', () => resolve());
          c.socket.close(1000);
          setTimeout(() => (c.socket.terminate(), resolve()), 2000).unref();
        }),
    ),
  );
}

const baseTime = Date.parse('2026-11-25T10:00:00.000Z');

/** The n-th MeterValues CALL of a client: what the gateway and the echo server both receive. */
export function meterValuesFrame(clientId: string, transactionId: number, n: number): { messageId: string; frame: string } {
  const messageId = `${clientId}-${n}`;
  const timestamp = new Date(baseTime + n * 1000).toISOString();
  const frame =
    `[2,"${messageId}","MeterValues",{"connectorId":1,"transactionId":${transactionId},"meterValue":[{"timestamp":"${timestamp}","sampledValue":[` +
    `{"value":"${100000 + n * 3}","context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","location":"Outlet","unit":"Wh"},` +
    `{"value":"11000","context":"Sample.Periodic","measurand":"Power.Active.Import","location":"Outlet","unit":"W"},` +
    `{"value":"${50 + (n % 50)}","context":"Sample.Periodic","measurand":"SoC","location":"EV","unit":"Percent"}]}]}]`;
  return { messageId, frame };
}

export interface LoadResult {
  connections: number;
  acknowledged: number;
  errors: number;
  seconds: number;
  perSecond: number;
  rttMs: { n: number; p50: number; p99: number; max: number };
  frameBytes: number;
}

/**
 * Every client sends MeterValues back to back (one in flight each) for warm-up + measured time;
 * only replies to CALLs sent inside the measured window count.
 */
export async function runMeterValuesLoad(clients: LoadClient[], transactionIds: number[], options: { warmupMs: number; measureMs: number }): Promise<LoadResult> {
  const rtts: number[] = [];
  let acknowledged = 0;
  let errors = 0;
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const measureUntil = measureFrom + options.measureMs;
  await Promise.all(
    clients.map(async (client, i) => {
      let n = 0;
      for (;;) {
        const sent = performance.now();
        if (sent >= measureUntil) return;
        const { messageId, frame } = meterValuesFrame(client.id, transactionIds[i], n++);
        const reply = await client.call(messageId, frame);
        const now = performance.now();
        if (sent >= measureFrom && now <= measureUntil) {
          if (reply[0] === 4) errors++;
          else {
            acknowledged++;
            rtts.push(now - sent);
          }
        }
      }
    }),
  );
  const seconds = options.measureMs / 1000;
  return {
    connections: clients.length,
    acknowledged,
    errors,
    seconds,
    perSecond: Math.round(acknowledged / seconds),
    rttMs: summarize(rtts),
    frameBytes: Buffer.byteLength(meterValuesFrame(clients[0]?.id ?? 'X', transactionIds[0] ?? 1, 0).frame),
  };
}
