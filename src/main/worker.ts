/** Production entry point of the `worker` role (needs DATABASE_URL and TEMPORAL_ADDRESS). */
import { runRoles } from './run';

void runRoles(['worker'], { embedded: false });
