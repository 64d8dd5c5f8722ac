// The shapes that cross the API: inputs (strict, bounded) and outputs. The server validates with them, and
// the web app's forms and the importer use the same ones. No ORM import here: the web app bundles these.
export * from './common.ts';
export * from './accounts.ts';
export * from './activities.ts';
export * from './school.ts';
export * from './visitors.ts';
// The vocabularies the schemas use, for forms and filters that offer them.
export * from '../constants.ts';
