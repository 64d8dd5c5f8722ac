import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { DEFAULT_MAX_BODY_BYTES, MAX_BATCH_SIZE } from './limits.ts';
import { startTestServer } from './testing.ts';

// What one request may ask: before these limits, one anonymous request could batch 1,000 logins, and a
// 300 MB body was read into memory before the API answered.
const { orm } = await useTestDatabase();
const base = await startTestServer(orm);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  /** Body bytes the client had sent when the answer arrived. */
  sent: number;
}

/**
 * POSTs a body of `total` bytes in chunks, as fast as the server takes them, and stops sending as soon as
 * an answer arrives. `declared` sends a Content-Length; otherwise the body is chunked.
 */
function postLargeBody(path: string, total: number, declared: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(`${base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(declared ? { 'content-length': String(total) } : { 'transfer-encoding': 'chunked' }),
      },
    });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        req.destroy();
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString());
          resolve({ status: res.statusCode!, headers: res.headers, body, sent });
        } catch (error) {
          reject(error as Error);
        }
      });
    });
    // The server may close the connection on us mid-upload: only the answer matters.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, ' ');
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('the body limit', () => {
  it('answers 413 to a too-large Content-Length before the body is sent, let alone read', async () => {
    // 300 MB declared, and nothing sent but what the socket takes before the answer comes.
    const answer = await postLargeBody('/trpc/auth.logIn', 300_000_000, true);
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(answer.body.error.json).toMatchObject({
      message: `the request body is too large: this request takes at most ${DEFAULT_MAX_BODY_BYTES} bytes`,
      data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 },
    });
    expect(answer.sent).toBeLessThan(300_000_000 / 10);
  });

  it('counts a chunked body as it arrives and answers 413 once it passes the limit', async () => {
    const answer = await postLargeBody('/trpc/auth.logIn', 200 * 1024 * 1024, false);
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(answer.body.error.json).toMatchObject({
      message: 'the request body is too large',
      data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 },
    });
    // The answer came while the upload had barely passed the limit (socket buffers hold a few MB).
    expect(answer.sent).toBeLessThan(32 * 1024 * 1024);
  });

  it('lets a body under the limit through', async () => {
    const answer = await postLargeBody('/trpc/auth.logIn', 64 * 1024, true);
    // Spaces are not JSON: a 400, after the body was read.
    expect(answer.status).toBe(400);
  });

  it('takes a larger body for backup.restore alone, which reads it only for an admin', async () => {
    const restore = await postLargeBody('/trpc/backup.restore', 4 * DEFAULT_MAX_BODY_BYTES, true);
    expect(restore.status).toBe(401);
    const tooLarge = await postLargeBody('/trpc/backup.restore', 300_000_000, true);
    expect(tooLarge.status).toBe(413);
  });
});

describe('the batch limit', () => {
  const batchOf = (size: number) =>
    fetch(
      `${base}/trpc/${Array(size).fill('activities.categories').join(',')}?batch=1&input=${encodeURIComponent('{}')}`,
    );

  it(`takes ${MAX_BATCH_SIZE} calls in one request and refuses one more with a 400`, async () => {
    const largest = await batchOf(MAX_BATCH_SIZE);
    expect(largest.status).toBe(200);
    expect(((await largest.json()) as unknown[]).length).toBe(MAX_BATCH_SIZE);

    const tooMany = await batchOf(MAX_BATCH_SIZE + 1);
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as any).error.json).toMatchObject({
      message: 'Batch call exceeds maximum size',
      data: { code: 'BAD_REQUEST' },
    });
  });
});
