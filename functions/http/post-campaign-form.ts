import { guardSubmission } from '#shared/abuse/guard.ts';
import { localise } from '#shared/domain/campaign.ts';
import { referrerHost, storedSource } from '#shared/domain/signature-source.ts';
import { signatureRequestSchema } from '#shared/domain/signature.ts';
import { config } from '#shared/config.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { wantsHtml } from '#shared/http/pages.ts';
import { notFound, Problem, validationProblem } from '#shared/http/problem.ts';
import { json } from '#shared/http/responses.ts';
import * as routes from '#shared/http/routes.ts';
import { mailLocale, mailLocales } from '#shared/i18n/locales.ts';
import { campaignPageStrings } from '#shared/i18n/strings/campaign-page.ts';
import { campaignLocales } from '#shared/pages/campaign-locales.ts';
import { renderFormAnswer } from '#shared/pages/form-answer-page.ts';
import { notFoundPage } from '#shared/pages/not-found-page.ts';
import { acceptLanguageOf, negotiateLocale } from '#shared/pages/page-locale.ts';
import { pageSettings } from '#shared/pages/page-settings.ts';
import { publicHtml } from '#shared/pages/public-html.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { assertAcceptsSignatures, assertKnownPartners, recordSignatureRequest } from '#shared/use-cases/sign-campaign.ts';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

const formType = 'application/x-www-form-urlencoded';

/** The form's fields as the JSON API takes them: checkboxes are there or not, empty optional fields are absent. */
export function formToSignature(form: URLSearchParams): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const name of ['name', 'email', 'country', 'postcode', 'comment', 'locale', 'website', 'captchaToken']) {
    const value = form.get(name);
    if (value !== null && (value.trim() !== '' || name === 'name' || name === 'email' || name === 'country')) fields[name] = value;
  }
  // A country chosen from the list is upper case already; one typed by hand may not be.
  if (typeof fields.country === 'string') fields.country = fields.country.trim().toUpperCase();
  if (typeof fields.email === 'string') fields.email = fields.email.trim();
  for (const name of ['public', 'subscribe']) if (form.has(name)) fields[name] = form.get(name) !== 'false';
  // One checkbox per partner organisation, all named `partners`: each ticked one sends its id.
  if (form.has('partners')) fields.partners = form.getAll('partners');
  return fields;
}

/** The body of a browser's form post, within the size every body is held to, or the problem it is. */
function readForm(event: APIGatewayProxyEventV2): URLSearchParams {
  const type = (event.headers?.['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== formType) throw new Problem(415, 'unsupported-media-type', `Send the form as ${formType}.`);
  const raw = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const size = Buffer.byteLength(raw);
  const limit = config().MAX_BODY_BYTES;
  if (size > limit) throw new Problem(413, 'too-large', `The body is ${size} bytes; the limit is ${limit}.`);
  return new URLSearchParams(raw);
}

/**
 * POST /act/{slug}: the campaign page's plain form, posted by a browser without JavaScript. Recorded exactly as
 * the JSON API records a signature (shared/use-cases/sign-campaign.ts), and answered with a page in the
 * reader's language: check your mailbox, or what to correct. Other clients get the API's JSON and problems.
 */
export const handler = httpHandler(routes.signByForm, async ({ event, path }) => {
  const browser = wantsHtml(event);
  const settings = pageSettings();
  const acceptLanguage = acceptLanguageOf(event.headers);
  const campaign = await findCampaign(path.slug ?? '');
  if (!campaign || campaign.status === 'draft') {
    if (!browser) throw notFound(`There is no campaign "${path.slug ?? ''}".`);
    const locale = negotiateLocale({ acceptLanguage }, mailLocales, 'en');
    return publicHtml(404, notFoundPage(locale, settings.baseUrl), { policy: settings.policy, language: locale });
  }
  let locale = negotiateLocale({ acceptLanguage }, campaignLocales(campaign), campaign.locale, mailLocales);
  const page = (status: number, outcome: Parameters<typeof renderFormAnswer>[3]) =>
    publicHtml(status, renderFormAnswer(campaign, locale, settings.baseUrl, outcome), { policy: settings.policy, language: locale });
  try {
    const form = readForm(event);
    const chosen = form.get('locale');
    if (chosen) locale = negotiateLocale({ query: chosen }, campaignLocales(campaign), campaign.locale, mailLocales);
    const parsed = signatureRequestSchema.safeParse(formToSignature(form));
    if (!parsed.success) throw validationProblem(parsed.error, 'body');
    assertAcceptsSignatures(campaign);
    const { data } = parsed;
    assertKnownPartners(campaign, data);
    const guard = { action: 'sign', campaign: campaign.slug, email: data.email, captchaToken: data.captchaToken, honeypot: data.website } as const;
    // As the JSON API does: the host of the page that posted (this deployment's, or a copy of the form elsewhere).
    const source = storedSource(data.source, referrerHost(event.headers ?? {}));
    if ((await guardSubmission(event, guard)) !== 'drop') await recordSignatureRequest(campaign, { ...data, source });
  } catch (error) {
    if (!browser || !(error instanceof Problem)) throw error;
    const t = campaignPageStrings[mailLocale(locale)];
    const labels: Record<string, string> = { name: t.name, email: t.email, country: t.country, postcode: t.postcode, comment: t.comment, partners: t.partners };
    const messages =
      error.status === 409 ? [t.formClosed(localise(campaign, locale).title)] : (error.errors?.map((f) => `${labels[f.path] ?? f.path}: ${f.message}`) ?? [error.message]);
    const answer = page(error.status, { ok: false, messages });
    return { ...answer, headers: { ...answer.headers, ...error.headers } };
  }
  // The same answer whatever happened: it must not reveal whether this address already signed.
  return browser ? page(202, { ok: true }) : json(202, { status: 'pending' });
});
