import { localise } from '#shared/domain/campaign.ts';
import { describeRequest, type PendingRequest } from '#shared/use-cases/confirmation.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { linkProblemPage, page } from '#shared/http/pages.ts';
import { problemFor } from '#shared/http/problem.ts';
import { escapeHtml, html } from '#shared/http/responses.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

type Row = [label: string, value: string];

const yesNo = (value: unknown) => (value === true ? 'Yes' : 'No');
const country = (code: unknown) => (typeof code === 'string' && code ? `${regionNames.of(code) ?? code} (${code})` : '—');
const text = (value: unknown) => (typeof value === 'string' && value ? value : '—');
const list = (values: unknown, all: string) => (Array.isArray(values) && values.length ? values.map(String).join(', ') : all);

/** Exactly what the click would confirm, field by field: the person decides, not whoever asked first. */
async function rows({ action, item }: PendingRequest): Promise<{ intro: string; rows: Row[] }> {
  const slug = typeof item.campaign === 'string' ? item.campaign : undefined;
  const campaign = slug ? await findCampaign(slug) : undefined;
  const title = campaign ? localise(campaign, typeof item.locale === 'string' ? item.locale : undefined).title : (slug ?? '');
  switch (action) {
    case 'signature':
      return {
        intro: 'Pressing the button signs this campaign with these details:',
        rows: [
          ['Campaign', title],
          ['Name', text(item.name)],
          ['Country', country(item.country)],
          ['Name listed publicly', yesNo(item.public)],
          ['Comment', text(item.comment)],
          ['Also subscribe to urgent calls and the weekly digest', yesNo(item.subscribe)],
        ],
      };
    case 'endorsement':
      return {
        intro: 'Pressing the button confirms that this organisation endorses the campaign (an operator then reviews it):',
        rows: [
          ['Campaign', title],
          ['Organisation', text(item.organisation)],
          ['Country', country(item.country)],
          ['Website', text(item.website)],
        ],
      };
    case 'subscription':
      return {
        intro: 'Pressing the button subscribes this address with these choices:',
        rows: [
          ['Name', text(item.name)],
          ['Urgent calls', yesNo(item.urgent !== false)],
          ['Weekly digest', yesNo(item.digest !== 'none')],
          ['Countries', list(item.countries, 'All')],
          ['Topics', list(item.topics, 'All')],
        ],
      };
    case 'erasure':
      return { intro: 'Pressing the button erases everything we hold about this address: signatures, endorsements\u2019 contact and subscriptions. Counts keep their numbers, without any personal detail.', rows: [] };
  }
}

function table(entries: Row[]): string {
  if (!entries.length) return '';
  return `<dl>${entries.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`;
}

/**
 * A page with a button, never the confirmation itself: mail scanners follow links, and a GET that confirmed
 * would let them sign on people's behalf. It shows the newest request of the address the link was mailed to,
 * and its form names that request, so the click confirms exactly what was shown.
 */
export const handler = httpHandler(routes.getConfirmPage, async ({ path }) => {
  const token = path.token ?? '';
  let request: PendingRequest;
  try {
    request = await describeRequest(token);
  } catch (error) {
    const problem = problemFor(error);
    if (problem) return linkProblemPage(problem);
    throw error;
  }
  const shown = await rows(request);
  if (request.confirmed) {
    return html(200, page('Already confirmed', `<p>This was confirmed already; there is nothing more to do.</p>${table(shown.rows)}`));
  }
  const action = `/confirm/${escapeHtml(encodeURIComponent(token))}`;
  const pinned = request.requestId ? `<input type="hidden" name="request" value="${escapeHtml(request.requestId)}">` : '';
  return html(
    200,
    page(
      'Confirm',
      `<p>${escapeHtml(shown.intro)}</p>${table(shown.rows)}
<p>If something here is not what you asked for, do not press the button: send the form again with the right details, then open this link (or any we sent you) again.</p>
<form method="post" action="${action}">${pinned}<button type="submit">Confirm</button></form>`,
    ),
  );
});
