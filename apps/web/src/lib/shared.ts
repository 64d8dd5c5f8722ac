// What the web app takes from the rest of the system: the API's types and the shared schemas and
// vocabularies, so that forms validate exactly as the API does.
export type { RouterInputs, RouterOutputs } from '@mergington/client';
export * from '@mergington/contract';
