/** `simulate --ocpp 2.0.1`: the options, and the README walkthrough's reference session reproduced in 2.0.1. */
import pino from 'pino';
import { CliUsageError, parseCliArgs } from '../../../src/simulator/cli';
import { runSimulation201 } from '../../../src/simulator/v201/run';
import { TestCsms201 } from './support/test-csms201';

const base = ['--url', 'ws://127.0.0.1:9000/ocpp'];

test('--ocpp defaults to 1.6 and accepts 2.0.1; anything else is a usage error naming the choices', () => {
  expect(parseCliArgs(base)).toMatchObject({ ocpp: '1.6' });
  expect(parseCliArgs([...base, '--ocpp', '2.0.1', '--config', 'OCPPCommCtrlr.MessageAttempts[TransactionEvent]=5'])).toMatchObject({
    ocpp: '2.0.1',
    config: { 'OCPPCommCtrlr.MessageAttempts[TransactionEvent]': '5' },
  });
  expect(() => parseCliArgs([...base, '--ocpp', '2.1'])).toThrow(/1\.6\|2\.0\.1/);
});

test('1.6-only flags are refused with --ocpp 2.0.1', () => {
  expect(() => parseCliArgs([...base, '--ocpp', '2.0.1', '--profiles', 'Core'])).toThrow(CliUsageError);
  expect(() => parseCliArgs([...base, '--ocpp', '2.0.1', '--diagnostics-method', 'POST'])).toThrow(/--diagnostics-method applies to OCPP 1.6 only/);
});

describe('the reference session in 2.0.1', () => {
  let csms: TestCsms201;
  beforeEach(async () => {
    csms = await TestCsms201.start();
  });
  afterEach(async () => {
    expect(csms.validationFailures).toEqual([]);
    await csms.close();
  });

  test('meter start 154200 Wh, 10 kW for 15 simulated minutes, stop at 156700 Wh with SoC 74 %', async () => {
    const options = parseCliArgs([
      '--ocpp', '2.0.1', '--url', csms.url, '--id', 'CP_1', '--password', 'cp1-secret-password',
      '--meter-start-wh', '154200', '--power-kw', '10', '--interval-s', '60', '--tick-ms', '150',
      '--soc-start', '70', '--battery-kwh', '62.5', '--no-reconnect',
    ]);
    if (options === 'help') throw new Error('unexpected help');
    const sim = await runSimulation201(options, pino({ level: 'silent' }));
    try {
      const [station] = sim.stations;
      // What the CSMS does for a session: SoC reporting on, then a remote start.
      await csms.command('CP_1', 'SetVariables', {
        setVariableData: [{ component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedMeasurands' }, attributeValue: 'Energy.Active.Import.Register,SoC' }],
      });
      await csms.command('CP_1', 'RequestStartTransaction', { idToken: { idToken: 'ALICE0001', type: 'Central' }, evseId: 1, remoteStartId: 1 });
      const fifteenth = csms.waitForCall((c) => c.action === 'TransactionEvent' && c.params.seqNo === 15, 10_000, true);
      await fifteenth;
      station.stopMeterValuesLoop();
      await csms.command('CP_1', 'RequestStopTransaction', { transactionId: station.transactionId(1) });
      const ended = await csms.waitForCall((c) => c.action === 'TransactionEvent' && c.params.eventType === 'Ended', 3000, true);
      const events = csms.events('CP_1');
      const energy = (e: any, context: string) => e.meterValue.flatMap((m: any) => m.sampledValue).find((v: any) => v.context === context && v.measurand === 'Energy.Active.Import.Register')?.value;
      expect(energy(events[0], 'Transaction.Begin')).toBe(154200);
      expect(energy(ended.params, 'Transaction.End')).toBe(156700);
      const lastUpdated = events.filter((e) => e.eventType === 'Updated').pop();
      expect(lastUpdated.meterValue[0].sampledValue.find((v: any) => v.measurand === 'SoC').value).toBe(74);
      expect(events.map((e) => e.seqNo)).toEqual(events.map((_, i) => i));
    } finally {
      await sim.stop();
    }
  });
});
