import { inbox, type InboxMail, type LocalProcess } from '#test/support/local-process.ts';

/**
 * The requests an end-to-end test makes of the local runtime: as a visitor, as the operator, and the mails its
 * inbox received. `stack` is read at each call, so the helpers can be made before the runtime has started.
 */
export function stackRequests(stack: () => LocalProcess) {
  const api = (pathname: string, init: RequestInit = {}) => fetch(`${stack().url}${pathname}`, init);
  const post = (pathname: string, body: unknown) => api(pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const operator = (pathname: string, method = 'GET', body?: unknown) =>
    api(pathname, {
      method,
      headers: { authorization: `Bearer ${stack().adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const mailsTo = async (address: string, subject?: RegExp): Promise<InboxMail[]> =>
    (await inbox(stack().inboxUrl)).filter((m) => m.destination.to.includes(address) && (!subject || subject.test(m.subject)));
  return { api, post, operator, mailsTo };
}
