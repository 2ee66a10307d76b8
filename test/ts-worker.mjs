// Starts a TypeScript worker entry (workerData.entry, a file: URL) from the sources: registers ts-worker-hooks.mjs
// in this thread, then imports the entry. PasswordStrength uses it when its compiled worker is absent (Jest).
import { register } from 'node:module';
import { workerData } from 'node:worker_threads';

register('./ts-worker-hooks.mjs', import.meta.url);
await import(workerData.entry);
