/** Production entry point of the `gateway` role (needs DATABASE_URL and TEMPORAL_ADDRESS). */
import { runRoles } from './run';

void runRoles(['gateway'], { embedded: false });
