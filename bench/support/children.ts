/**
 * Benchmark helpers around child processes: the measured server runs in a process of its own (so
 * its RSS and CPU are its own), answers requests over IPC, and is stopped with SIGTERM.
 */
import { fork, type ChildProcess } from 'node:child_process';

export interface Child<Ready> {
  process: ChildProcess;
  ready: Ready;
  request<T = unknown>(type: string, payload?: unknown): Promise<T>;
  stop(): Promise<void>;
}

interface Reply {
  id?: number;
  type?: string;
  result?: unknown;
  error?: string;
}

/** Forks a compiled bench script, waits for its `{type:'ready'}` message. */
export function startChild<Ready>(script: string, options: { env?: Record<string, string>; execArgv?: string[]; readyTimeoutMs?: number } = {}): Promise<Child<Ready>> {
  const proc = fork(script, [], {
    env: { ...process.env, ...options.env },
    // The parent's flags too (-r ./bench/register.js when running from the TypeScript sources).
    execArgv: [...process.execArgv, '--expose-gc', ...(options.execArgv ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.on('exit', (code, signal) => {
    for (const w of waiting.values()) w.reject(new Error(`${script} exited (${code ?? signal}) during a request`));
    waiting.clear();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${script} was not ready within ${options.readyTimeoutMs ?? 60_000} ms`));
    }, options.readyTimeoutMs ?? 60_000);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited before it was ready (${code ?? signal})`));
    });
    proc.on('message', (m: Reply) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve({
          process: proc,
          ready: m.result as Ready,
          request<T>(type: string, payload?: unknown) {
            const id = nextId++;
            return new Promise<T>((res, rej) => {
              waiting.set(id, { resolve: res as (v: unknown) => void, reject: rej });
              proc.send({ id, type, payload });
            });
          },
          async stop() {
            if (proc.exitCode !== null || proc.signalCode !== null) return;
            proc.kill('SIGTERM');
            const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
            await exited;
            clearTimeout(timer);
          },
        });
        return;
      }
      if (m.id === undefined) return;
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      if (m.error) w.reject(new Error(m.error));
      else w.resolve(m.result);
    });
  });
}

/** The child side: announce readiness, answer requests, stop cleanly on SIGTERM. */
export function serveParent(ready: unknown, handlers: Record<string, (payload: any) => unknown>, stop: () => Promise<void>): void {
  process.on('message', async (m: { id: number; type: string; payload?: unknown }) => {
    try {
      const handler = handlers[m.type];
      if (!handler) throw new Error(`unknown request ${m.type}`);
      process.send!({ id: m.id, result: await handler(m.payload) });
    } catch (err) {
      process.send!({ id: m.id, error: String((err as Error)?.stack ?? err) });
    }
  });
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    stop()
      .catch((err) => console.error('bench child: stop failed', err))
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // The parent is gone (crashed or killed): do not outlive it.
  process.on('disconnect', onSignal);
  process.send!({ type: 'ready', result: ready });
}

/** RSS etc. after two full garbage collections (children run with --expose-gc). */
export function memoryAfterGc(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage();
}
