import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CaptchaStandIn {
  /** The verify endpoint, for CAPTCHA_VERIFY_URL. */
  url: string;
  /** Every verification the server asked for, as the form it posted (`secret`, `response`, `remoteip`). */
  calls: URLSearchParams[];
  close(): Promise<void>;
}

/**
 * A local stand-in for the CAPTCHA provider's verify endpoint (Turnstile and hCaptcha take the same form
 * post and answer `{"success": bool}`): a token passes when the secret is right and `accepts` says so.
 */
export async function startCaptchaStandIn(options: { secret: string; accepts: (token: string) => boolean }): Promise<CaptchaStandIn> {
  const calls: URLSearchParams[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      calls.push(form);
      const success = form.get('secret') === options.secret && options.accepts(form.get('response') ?? '');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ success }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/siteverify`,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // the runtime's keep-alive sockets would hold close() open
      }),
  };
}
