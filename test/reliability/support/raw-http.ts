/**
 * HTTP requests exactly as given (path not normalised, any header, any body) from a chosen
 * loopback source address, so a fuzzer can send what fetch would refuse or rewrite and can
 * spread failed-auth attempts over addresses (the API rate-limits failures per address).
 */
import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** e.g. 127.0.0.7 (any 127/8 address reaches a server on 127.0.0.1 under Linux). */
  localAddress?: string;
  timeoutMs?: number;
}

/** Resolves with the response; an event stream is cut off once its headers arrived. */
export function rawRequest(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        // A body always goes with its length (Node sends none for a GET body, which would corrupt the framing).
        headers: req.body === undefined ? req.headers : { 'content-length': String(Buffer.byteLength(req.body)), ...req.headers },
        localAddress: req.localAddress,
        agent: false,
        insecureHTTPParser: false,
      },
      (res) => {
        if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: '' });
          res.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    r.setTimeout(req.timeoutMs ?? 10_000, () => r.destroy(new Error(`no answer to ${req.method} ${req.path} within ${req.timeoutMs ?? 10_000} ms`)));
    r.on('error', reject);
    if (req.body !== undefined) r.end(req.body);
    else r.end();
  });
}
