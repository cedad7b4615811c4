/** Production entry point of the `api` role (needs DATABASE_URL and TEMPORAL_ADDRESS). */
import { runRoles } from './run';

void runRoles(['api'], { embedded: false });
