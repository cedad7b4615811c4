/** A Server-Sent Events client over plain HTTP that records events, for tests. */
import http from 'node:http';

export interface SseEvent {
  event?: string;
  data?: string;
  comment?: string;
}

/** Reads an SSE stream over a plain HTTP request, event by event. */
export function openEventStream(url: string, token: string) {
  const events: SseEvent[] = [];
  const waiters: Array<() => void> = [];
  let ended = false;
  let buffer = '';
  let status = 0;
  let contentType = '';
  const req = http.get(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
  const opened = new Promise<void>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      contentType = String(res.headers['content-type']);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const ev: SseEvent = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) ev.comment = line.slice(1).trim();
            else if (line.startsWith('event: ')) ev.event = line.slice(7);
            else if (line.startsWith('data: ')) ev.data = line.slice(6);
          }
          events.push(ev);
        }
        waiters.splice(0).forEach((w) => w());
      });
      const onEnd = (): void => {
        ended = true;
        waiters.splice(0).forEach((w) => w());
      };
      res.on('end', onEnd);
      res.on('close', onEnd); // the server dropped the connection
      res.on('error', () => undefined);
      resolve();
    });
  });
  const until = async (predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events so far: ${JSON.stringify(events)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  };
  return {
    events,
    opened,
    get status() {
      return status;
    },
    get contentType() {
      return contentType;
    },
    get ended() {
      return ended;
    },
    states: () => events.filter((e) => e.event === 'state').map((e) => JSON.parse(e.data!)),
    until,
    close: () => req.destroy(),
  };
}
