import http from 'node:http';
import net from 'node:net';

/**
 * What a notification provider received. The stand-ins answer as the
 * providers document (Slack and Microsoft Teams incoming webhooks, PagerDuty Events API v2,
 * Opsgenie Alert API, an SMTP server); the tests check the requests against
 * the same documents.
 */
export interface Delivery {
  provider: 'slack' | 'pagerduty' | 'opsgenie' | 'email' | 'teams';
  at: number;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** One loopback HTTP server for the HTTP providers and one SMTP server. */
export class LoopbackProviders {
  readonly deliveries: Delivery[] = [];
  private http?: http.Server;
  private smtp?: net.Server;
  httpUrl = '';
  smtpPort = 0;

  async start(): Promise<this> {
    this.http = http.createServer((req, res) => {
      let text = '';
      req.on('data', chunk => (text += chunk));
      req.on('end', () => {
        const path = req.url ?? '';
        const provider = path.split('/')[1] as Delivery['provider'];
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
        this.deliveries.push({
          provider,
          at: Date.now(),
          path,
          headers: req.headers,
          body,
        });
        if (provider === 'teams') {
          // A Teams incoming webhook answers 200 with the text "1".
          res.writeHead(200, { 'content-type': 'text/plain' }).end('1');
        } else if (provider === 'slack') {
          // Slack answers a plain "ok".
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        } else if (provider === 'pagerduty') {
          res.writeHead(202, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              status: 'success',
              message: 'Event processed',
              dedup_key: (body as { dedup_key?: string })?.dedup_key,
            }),
          );
        } else {
          res.writeHead(202, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              result: 'Request will be processed',
              took: 0.01,
              requestId: 'loopback',
            }),
          );
        }
      });
    });
    await new Promise<void>(r => this.http!.listen(0, '127.0.0.1', r));
    this.httpUrl = `http://127.0.0.1:${
      (this.http.address() as net.AddressInfo).port
    }`;

    this.smtp = net.createServer(socket => this.smtpSession(socket));
    await new Promise<void>(r => this.smtp!.listen(0, '127.0.0.1', r));
    this.smtpPort = (this.smtp.address() as net.AddressInfo).port;
    return this;
  }

  /** A minimal SMTP server (RFC 5321): EHLO, MAIL, RCPT, DATA, QUIT. */
  private smtpSession(socket: net.Socket) {
    const reply = (line: string) => socket.write(`${line}\r\n`);
    let buffer = '';
    let data: string[] | undefined;
    let envelope = { from: '', to: [] as string[] };
    reply('220 loopback ESMTP');
    socket.on('data', chunk => {
      buffer += chunk.toString('utf8');
      let end = buffer.indexOf('\r\n');
      while (end >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\r\n');
        if (data) {
          if (line === '.') {
            this.deliveries.push({
              provider: 'email',
              at: Date.now(),
              path: '',
              headers: {},
              body: { ...envelope, message: data.join('\r\n') },
            });
            data = undefined;
            envelope = { from: '', to: [] };
            reply('250 2.0.0 queued');
          } else {
            data.push(line.startsWith('..') ? line.slice(1) : line);
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') {
          socket.write('250-loopback\r\n250 8BITMIME\r\n');
        } else if (verb === 'MAIL') {
          envelope.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          reply('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          envelope.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          reply('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          data = [];
          reply('354 end data with <CR><LF>.<CR><LF>');
        } else if (verb === 'QUIT') {
          reply('221 2.0.0 bye');
          socket.end();
        } else {
          reply('250 ok');
        }
      }
    });
    socket.on('error', () => undefined);
  }

  async stop(): Promise<void> {
    this.http?.closeAllConnections();
    await Promise.all(
      [this.http, this.smtp].map(
        server => server && new Promise(r => server.close(r)),
      ),
    );
  }
}
