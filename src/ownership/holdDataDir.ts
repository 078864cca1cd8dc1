import { CliError } from '../cliCore';
import { DataDirInUseError, type DataDirOwnership, type OwnerRole, acquireDataDir } from './dataDirOwner';

/** Takes the data directory for a command that rewrites it; a live holder fails the command with its name. */
export const holdDataDir = (dataDir: string, role: OwnerRole): DataDirOwnership => {
  try {
    return acquireDataDir(dataDir, role);
  } catch (error) {
    if (error instanceof DataDirInUseError) throw new CliError(`${role} refused: ${error.message}.`);
    throw error;
  }
};
