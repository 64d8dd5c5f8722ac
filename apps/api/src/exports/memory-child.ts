// The API in a process of its own for the export memory test (exports-memory.test.ts): serves DATABASE_URL on
// a free port, samples its memory every 5 ms and answers the parent's questions over IPC.
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { initORM } from '@mergington/db';
import { createApiServer } from '../server.ts';

// Loaded before the baseline, as after a server's first XLSX export: the module is not the export's memory.
await import('exceljs');
const orm = await initORM({ url: process.env.DATABASE_URL! });
const server = createApiServer({ orm, logger: pino({ level: 'silent' }) });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

/** What the export itself may hold: the JS heap plus Buffers (the response's chunks live there). */
const held = () => {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};
let peak = 0;
let baseline = 0;
setInterval(() => (peak = Math.max(peak, held())), 5).unref();

process.on('message', (message: string) => {
  if (message === 'baseline') {
    global.gc?.();
    baseline = peak = held();
    process.send!({ baseline });
  } else if (message === 'peak') {
    process.send!({ baseline, peak: Math.max(peak, held()), rss: process.memoryUsage().rss });
  } else if (message === 'stop') {
    server.close();
    void orm.close().then(() => process.exit(0));
  }
});
process.send!({ port: (server.address() as AddressInfo).port });
