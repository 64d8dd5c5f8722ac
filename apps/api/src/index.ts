// What other packages may use: the router's type (for the typed client) and the server factory.
export type { AppRouter } from './router.ts';
export { appRouter, createCaller } from './router.ts';
export { createApiServer } from './server.ts';
