/**
 * A one-off command to a charger on behalf of the API (check or enable SoC, reset, unlock):
 * a short workflow, so the command is routed to whichever gateway holds the charger, retried
 * like session commands, and visible to operators in the Temporal Web UI.
 */
import { sendChargerCommand, type ChargerCommandName, type ChargerCommandOutcome, type ChargerCommandRequest, type CommandPolicy } from './charger-command-sender';

export const chargerCommandWorkflowType = 'chargerCommand';

export interface ChargerCommandInput<N extends ChargerCommandName = ChargerCommandName> {
  command: N;
  request: ChargerCommandRequest<N>;
  policy: CommandPolicy;
}

export async function chargerCommand<N extends ChargerCommandName>(input: ChargerCommandInput<N>): Promise<ChargerCommandOutcome<N>> {
  return sendChargerCommand(input.command, input.request, input.policy);
}
