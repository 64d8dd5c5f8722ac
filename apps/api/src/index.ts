// What other packages may use: the router's type (for the typed client), the server factory and its limits.
export type { AppRouter } from './router.ts';
export { appRouter, createCaller } from './router.ts';
export { createApiServer } from './server.ts';
export { MAX_BATCH_SIZE } from './limits.ts';
