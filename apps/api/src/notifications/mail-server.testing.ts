// A real SMTP server in the test process (smtp-server), parsing what arrives (mailparser). Its mailbox
// keeps one message per Message-ID, the idempotency key of our emails, and counts every arrival.
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestMailServer {
  url: string;
  port: number;
  /** One message per Message-ID, in order of first arrival. */
  mailbox: ParsedMail[];
  /** How often each Message-ID arrived (a resend of one counts here, not in the mailbox). */
  arrivals: Map<string, number>;
  /** Stops listening: connections are refused until `start` again, on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startMailServer(
  options: {
    port?: number;
    /** Runs once a message is received whole, before the server answers 250. */
    onMessage?: (mail: ParsedMail) => void | Promise<void>;
  } = {},
): Promise<TestMailServer> {
  const mailbox: ParsedMail[] = [];
  const arrivals = new Map<string, number>();
  let server: SMTPServer | null = null;
  let port = options.port ?? 0;

  const start = async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          async (mail) => {
            const id = mail.messageId ?? '';
            arrivals.set(id, (arrivals.get(id) ?? 0) + 1);
            if (arrivals.get(id) === 1) mailbox.push(mail);
            await options.onMessage?.(mail);
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server!.server.address() as AddressInfo).port;
  };
  await start();
  return {
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    mailbox,
    arrivals,
    start,
    stop: () =>
      new Promise<void>((resolve) => {
        const stopping = server!;
        server = null;
        stopping.close(() => resolve());
      }),
  };
}

/** Waits until `condition` holds (checked every 100 ms), else fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
