/** The command activities served by the gateway's own Temporal worker, called from a workflow on the time-skipping server. */
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ChargerCommandErrors } from '../../src/ocpp/charger-commands';
import { createTimeSkippingEnv, workflowBundle } from '../support/temporal';
import { createGatewayHarness, type GatewayHarness } from './support/gateway-harness';
import type { CommandOutcome } from './workflows/send-charger-command';

describe('gateway command worker', () => {
  let env: TestWorkflowEnvironment;
  let h: GatewayHarness;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    h = await createGatewayHarness();
    await h.start({ GATEWAY_ID: 'gw-temporal' }, { temporal: { connection: env.nativeConnection, namespace: env.namespace ?? 'default' } });
  });
  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  it('runs GetConfiguration on ocpp-gateway.<gatewayId> for a workflow, and reports CALLERROR and offline as typed failures', async () => {
    expect(h.gateway.taskQueue).toBe('ocpp-gateway.gw-temporal');
    await h.addCharger('CP_TQ');
    const cp = h.chargePoint({ chargePointId: 'CP_TQ' });
    await cp.connect();

    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue: 'gateway-command-test',
      workflowBundle: await workflowBundle(path.join(__dirname, 'workflows', 'send-charger-command.ts')),
    });
    const run = (stationId: string, id: string) =>
      env.client.workflow.execute('readChargerConfiguration', {
        taskQueue: 'gateway-command-test',
        workflowId: id,
        args: [h.gateway.taskQueue, stationId, ['HeartbeatInterval']],
      }) as Promise<CommandOutcome>;

    await worker.runUntil(async () => {
      expect(await run('CP_TQ', 'wf-ok')).toEqual({ ok: true, result: { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '60' }], unknownKey: [] } });

      cp.behaviour.GetConfiguration = 'callerror';
      const failed = await run('CP_TQ', 'wf-callerror');
      expect(failed).toMatchObject({ ok: false, type: ChargerCommandErrors.CallError, nonRetryable: true });
      expect((failed as { details: unknown[] }).details[0]).toMatchObject({ errorCode: 'InternalError' });

      expect(await run('CP_ELSEWHERE', 'wf-offline')).toMatchObject({ ok: false, type: ChargerCommandErrors.NotConnected, nonRetryable: false });

      // One call at a time per charger: a command whose attempt timed out while it waited behind a
      // silent one is dropped, never sent late (the workflow has moved on).
      cp.behaviour.ClearCache = 'ignore';
      const seen: string[] = [];
      cp.on('call', (c: { action: string }) => seen.push(c.action));
      const both = (await env.client.workflow.execute('commandBehindASilentOne', {
        taskQueue: 'gateway-command-test',
        workflowId: 'wf-queued',
        args: [h.gateway.taskQueue, 'CP_TQ'],
      })) as { first: CommandOutcome; second: CommandOutcome };
      expect(both.first).toMatchObject({ ok: false, type: ChargerCommandErrors.ResponseTimeout });
      expect(both.second.ok).toBe(false);
      await new Promise((r) => setTimeout(r, 300)); // anything sent late would have arrived by now
      expect(seen).toEqual(['ClearCache']);
    });
  });
});
