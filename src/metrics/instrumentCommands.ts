import { type ClientCommandHandler } from '../application/clientCommandHandler';
import { AppError } from '../errors';
import { commandsHandled } from './registry';

/** The command handler, counting each command by type and outcome: `changed`, `unchanged`, or the error's code. */
export const instrumentCommands = (handler: ClientCommandHandler): ClientCommandHandler => ({
  async execute(request, context) {
    try {
      const outcome = await handler.execute(request, context);
      commandsHandled.inc({ command: request.type, outcome: outcome.changed ? 'changed' : 'unchanged' });
      return outcome;
    } catch (error) {
      commandsHandled.inc({ command: request.type, outcome: error instanceof AppError ? error.code : 'INTERNAL_SERVER_ERROR' });
      throw error;
    }
  },
  check: (request, context) => handler.check(request, context),
});
