import type { EventEmitter } from 'node:events';

/** Resolves with the event's first argument when `event` is emitted (and `match` accepts it); `who` names the emitter in the timeout error. */
export function waitForEvent<T>(emitter: EventEmitter, who: string, event: string, match: (value: T) => boolean, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onEvent = (value: T) => {
      if (!match(value)) return;
      cleanup();
      resolve(value);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${who}: no '${event}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      emitter.off(event, onEvent);
    };
    emitter.on(event, onEvent);
  });
}
