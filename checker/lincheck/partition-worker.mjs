// Worker entry when running from the TypeScript sources: worker threads do not inherit
// tsx's loader, so register it, then load the TypeScript worker. The build (dist/) starts
// its bundled partition-worker.js directly instead (see WORKER_ENTRY in parallel.ts).
import { register } from 'tsx/esm/api';

register();
await import('./partition-worker.ts');
