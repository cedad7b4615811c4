/**
 * Valid OCPP 1.6 core requests a charge point sends, the mutations a fuzzer applies to them, and
 * the check that a reply is a well-formed OCPP-J CALLRESULT or CALLERROR.
 */
import { hostileStrings, type Prng } from '../../../src/simulator/prng';

/** The CALLERROR codes OCPP 1.6-J §4.2.3 allows (OccurenceConstraintViolation with one 'r', as the 1.6 errata keep it). */
export const ocpp16ErrorCodes = new Set([
  'NotImplemented',
  'NotSupported',
  'InternalError',
  'ProtocolError',
  'SecurityError',
  'FormationViolation',
  'PropertyConstraintViolation',
  'OccurenceConstraintViolation',
  'TypeConstraintViolation',
  'GenericError',
]);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Why a frame from the central system is not a valid CALLRESULT / CALLERROR, or null when it is. */
export function replyProblem(frame: unknown): string | null {
  if (!Array.isArray(frame)) return 'not a JSON array';
  if (frame[0] === 3) {
    if (frame.length !== 3) return `CALLRESULT with ${frame.length} elements`;
    if (typeof frame[1] !== 'string' || frame[1].length === 0 || frame[1].length > 36) return 'CALLRESULT without a valid message id';
    if (!isPlainObject(frame[2])) return 'CALLRESULT payload is not an object';
    return null;
  }
  if (frame[0] === 4) {
    if (frame.length !== 5) return `CALLERROR with ${frame.length} elements`;
    if (typeof frame[1] !== 'string' || frame[1].length === 0) return 'CALLERROR without a message id';
    if (!ocpp16ErrorCodes.has(frame[2] as string)) return `CALLERROR code ${JSON.stringify(frame[2])} is not an OCPP 1.6 error code`;
    if (typeof frame[3] !== 'string') return 'CALLERROR description is not a string';
    if (!isPlainObject(frame[4])) return 'CALLERROR details is not an object';
    return null;
  }
  return `unexpected message type ${JSON.stringify(frame[0])}`;
}

export interface FrameContext {
  idTags: string[];
  /** Transaction ids worth aiming at: own, another charger's, never issued. */
  transactionIds: number[];
  now: () => Date;
}

const timestamps = (rng: Prng, ctx: FrameContext): string =>
  rng.weighted([
    [8, ctx.now().toISOString()],
    [1, new Date(ctx.now().getTime() + rng.int(1, 10 ** 6) * 60_000).toISOString()],
    [1, new Date(ctx.now().getTime() - rng.int(1, 10 ** 6) * 60_000).toISOString()],
  ]);

const sampledValue = (rng: Prng) => {
  const v: Record<string, unknown> = { value: String(rng.weighted([[5, rng.int(0, 10 ** 7)], [1, rng.next() * 100]])) };
  if (rng.bool(0.5)) v.measurand = rng.pick(['Energy.Active.Import.Register', 'SoC', 'Power.Active.Import', 'Voltage', 'Current.Import']);
  if (rng.bool(0.4)) v.unit = rng.pick(['Wh', 'kWh', 'W', 'kW', 'Percent', 'V', 'A']);
  if (rng.bool(0.4)) v.context = rng.pick(['Sample.Periodic', 'Sample.Clock', 'Transaction.Begin', 'Transaction.End', 'Trigger']);
  if (rng.bool(0.2)) v.phase = rng.pick(['L1', 'L2', 'L3', 'N']);
  if (rng.bool(0.2)) v.format = rng.pick(['Raw', 'SignedData']);
  if (rng.bool(0.2)) v.location = rng.pick(['Outlet', 'EV', 'Inlet', 'Body', 'Cable']);
  return v;
};

/** A schema-valid request for each core action a charge point sends. */
export const validRequests: Record<string, (rng: Prng, ctx: FrameContext) => Record<string, unknown>> = {
  BootNotification: (rng) => ({ chargePointVendor: 'Fuzz', chargePointModel: `M${rng.int(1, 9)}`, ...(rng.bool() ? { firmwareVersion: '1.0.' + rng.int(0, 99) } : {}) }),
  Heartbeat: () => ({}),
  Authorize: (rng, ctx) => ({ idTag: rng.pick(ctx.idTags) }),
  StatusNotification: (rng, ctx) => ({
    connectorId: rng.int(0, 3),
    status: rng.pick(['Available', 'Preparing', 'Charging', 'SuspendedEVSE', 'SuspendedEV', 'Finishing', 'Reserved', 'Unavailable', 'Faulted']),
    errorCode: rng.pick(['NoError', 'GroundFailure', 'OtherError', 'PowerMeterFailure']),
    ...(rng.bool() ? { timestamp: timestamps(rng, ctx) } : {}),
    ...(rng.bool(0.2) ? { info: 'i'.repeat(rng.int(0, 50)) } : {}),
  }),
  StartTransaction: (rng, ctx) => ({ connectorId: rng.int(1, 3), idTag: rng.pick(ctx.idTags), meterStart: rng.int(0, 10 ** 7), timestamp: timestamps(rng, ctx) }),
  MeterValues: (rng, ctx) => ({
    connectorId: rng.int(0, 3),
    ...(rng.bool(0.7) ? { transactionId: rng.pick(ctx.transactionIds) } : {}),
    meterValue: Array.from({ length: rng.int(1, 3) }, () => ({ timestamp: timestamps(rng, ctx), sampledValue: Array.from({ length: rng.int(1, 4) }, () => sampledValue(rng)) })),
  }),
  StopTransaction: (rng, ctx) => ({
    transactionId: rng.pick(ctx.transactionIds),
    meterStop: rng.int(0, 10 ** 7),
    timestamp: timestamps(rng, ctx),
    ...(rng.bool() ? { idTag: rng.pick(ctx.idTags) } : {}),
    ...(rng.bool() ? { reason: rng.pick(['Local', 'Remote', 'EVDisconnected', 'PowerLoss', 'Reboot', 'Other']) } : {}),
    ...(rng.bool(0.3) ? { transactionData: [{ timestamp: timestamps(rng, ctx), sampledValue: [sampledValue(rng)] }] } : {}),
  }),
  DataTransfer: (rng) => ({ vendorId: rng.pick(['com.example', 'x']), ...(rng.bool() ? { messageId: 'm' } : {}), ...(rng.bool() ? { data: rng.rawString(rng.int(0, 40)) } : {}) }),
  DiagnosticsStatusNotification: (rng) => ({ status: rng.pick(['Idle', 'Uploaded', 'UploadFailed', 'Uploading']) }),
  FirmwareStatusNotification: (rng) => ({ status: rng.pick(['Downloaded', 'DownloadFailed', 'Downloading', 'Idle', 'InstallationFailed', 'Installing', 'Installed']) }),
};

/** Actions the central system sends, which a charge point must not send: NotSupported (after schema validation). */
export const centralSystemActions = ['RemoteStartTransaction', 'RemoteStopTransaction', 'Reset', 'GetConfiguration', 'ChangeConfiguration', 'UnlockConnector'];

export function junkValue(rng: Prng, depth = 0): unknown {
  const kind = rng.int(0, depth > 4 ? 6 : 9);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng.bool();
    case 2:
      return rng.pick([0, -1, 1.5, -0, 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53 + 2, 1e308, -1e308, 1e-320]);
    case 3:
      return rng.pick(hostileStrings);
    case 4:
      return rng.rawString(rng.int(0, 30));
    case 5:
      return rng.pick(['2026-13-45T99:99:99Z', '0000-00-00T00:00:00Z', '+275760-09-13T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '1970-01-01T00:00:00Z', 'yesterday']);
    case 6:
      return rng.int(-5, 5);
    case 7:
      return Array.from({ length: rng.int(0, 4) }, () => junkValue(rng, depth + 1));
    case 8: {
      const o: Record<string, unknown> = {};
      for (let i = rng.int(0, 4); i > 0; i--) o[rng.pick(['a', 'value', 'timestamp', '__proto__', 'constructor', 'sampledValue', rng.rawString(3)])] = junkValue(rng, depth + 1);
      return o;
    }
    default:
      return deepNest(rng.int(10, 200));
  }
}

function deepNest(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { x: v };
  return v;
}

/** Every path to a value inside a JSON value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push([...prefix, i], ...paths(v, [...prefix, i])));
  else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...paths(v, [...prefix, k]));
  return out;
}

function parentOf(root: any, path: (string | number)[]): any {
  let p = root;
  for (const k of path.slice(0, -1)) p = p[k];
  return p;
}

/** One mutation of a (cloned) payload: drop a field, wrong type, huge string, junk, unknown field. */
export function mutatePayload(rng: Prng, payload: Record<string, unknown>, hugeStringMax: number): unknown {
  const copy = JSON.parse(JSON.stringify(payload));
  const all = paths(copy);
  const op = rng.int(0, all.length === 0 ? 2 : 6);
  if (op === 0) return junkValue(rng);
  if (op === 1) return { ...copy, [rng.pick(['extra', 'zzz', '__proto__', 'transactionId'])]: junkValue(rng) };
  if (op === 2) return rng.pick([[], null, 'payload', 42, [copy]]);
  const path = rng.pick(all);
  const parent = parentOf(copy, path);
  const key = path[path.length - 1];
  if (op === 3) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (op === 4) parent[key] = junkValue(rng);
  else if (op === 5) parent[key] = 'X'.repeat(rng.int(1000, hugeStringMax));
  else parent[key] = typeof parent[key] === 'number' ? String(parent[key]) : typeof parent[key] === 'string' ? rng.int(-9, 9) : junkValue(rng);
  return copy;
}
