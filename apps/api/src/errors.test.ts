import { describe, expect, it } from 'vitest';
import { toTRPCError } from './errors.ts';

describe('toTRPCError', () => {
  // What node-postgres, knex and PostgreSQL said while the database restarted under load
  // (reliability/database-restart.test.ts): each must be a plain 503, never a 500.
  it.each([
    ['timeout expired', undefined], // pg's connect timeout
    ['Connection terminated unexpectedly', undefined],
    ['Client has encountered a connection error and is not queryable', undefined],
    ['connect ECONNREFUSED 127.0.0.1:5432', undefined],
    ['terminating connection due to administrator command', '57P01'],
    ['the database system is starting up', '57P03'],
    ['the database system is shutting down', undefined],
    // knex, when the connection died at a transaction's BEGIN: the trx is over before its first statement.
    ['Transaction query already complete, run with DEBUG=knex:tx for more info', undefined],
  ])('maps "%s" to SERVICE_UNAVAILABLE', (message, code) => {
    expect(toTRPCError(Object.assign(new Error(message), { code })).code).toBe('SERVICE_UNAVAILABLE');
  });

  it('says the server is busy when no pooled connection came free in time', () => {
    const error = toTRPCError(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'));
    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expect(error.message).toMatch(/^the server is busy/);
  });

  // What PostgreSQL refuses in a value is the request's fault: a 400, never "database unavailable".
  it.each([
    ['invalid input syntax for type integer: "x"', '22P02'],
    ['value too long for type character varying(120)', '22001'],
    ['integer out of range', '22003'],
    ['invalid input syntax for type date: "2024-02-30"', '22007'],
    ['date/time field value out of range: "2024-13-01"', '22008'],
    ['invalid byte sequence for encoding "UTF8": 0x00', '22021'],
    ['unsupported Unicode escape sequence', '22P05'],
    ['index row size 9000 exceeds btree version 4 maximum 2704', '54000'],
    ['invalid message format', '08P01'], // a NUL inside a statement's text
  ])('maps "%s" (%s) to BAD_REQUEST', (message, code) => {
    expect(toTRPCError(Object.assign(new Error(message), { code })).code).toBe('BAD_REQUEST');
  });

  it('keeps an unknown failure an internal error', () => {
    expect(toTRPCError(new Error('something else')).code).toBe('INTERNAL_SERVER_ERROR');
  });
});
