/** The part of an ocpp-rpc server-side client the gateway uses, typed by the events it listens to. */

/** What authentication left on the connection. */
export interface AuthSession {
  stationId: string;
  remoteAddress?: string;
  registrationStatus?: import('../rules/registration').RegistrationStatus;
}

export interface FrameEvent {
  outbound: boolean;
  payload: unknown[];
}

export interface StationClient {
  identity: string;
  /** The subprotocol agreed at the handshake. */
  protocol?: string;
  session?: AuthSession;
  handshake?: { remoteAddress?: string };
  call(method: string, params?: unknown, options?: { callTimeoutMs?: number }): Promise<unknown>;
  handle(method: string, handler: (call: { params?: object }) => Promise<object> | never): void;
  close(options?: { code?: number; reason?: string; awaitPending?: boolean; force?: boolean }): Promise<unknown>;
  on(event: 'close', listener: (e: { code?: number; reason?: string }) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'socketError', listener: (err: Error & { code?: string }) => void): unknown;
  on(event: 'call' | 'response', listener: (e: FrameEvent) => void): unknown;
  on(event: 'callResult', listener: (e: { method: string }) => void): unknown;
  on(event: 'callError', listener: (e: { method: string; error?: { rpcErrorCode?: string } }) => void): unknown;
  on(event: 'badMessage', listener: (e: { error: Error; response: unknown[] | null }) => void): unknown;
  on(event: 'strictValidationFailure', listener: (e: { method: string; outbound: boolean; error: Error }) => void): unknown;
}
