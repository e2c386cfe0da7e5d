import * as z from 'zod';
import { config } from '#shared/config.ts';
import { localise } from '#shared/domain/campaign.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { escapeHtml, html } from '#shared/http/responses.ts';
import { getPublicCampaign } from '#shared/store/campaign-store.ts';

const rtl = ['ar', 'he', 'fa', 'ur'];

/** What each provider's challenge loads into the page, as its documentation lists it for a CSP. */
const captchaSources = {
  turnstile: { sources: ['https://challenges.cloudflare.com'], directives: ['script-src', 'frame-src'] },
  hcaptcha: { sources: ['https://hcaptcha.com', 'https://*.hcaptcha.com'], directives: ['script-src', 'frame-src', 'style-src', 'connect-src'] },
} as const;

type CaptchaProvider = keyof typeof captchaSources;

/** The widget script from this deployment; its requests only to this deployment's API; the challenge, if any. */
function contentSecurityPolicy(apiOrigin: string, widgetOrigin: string | undefined, captcha: CaptchaProvider | undefined): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'", ...(widgetOrigin ? [widgetOrigin] : [])],
    'connect-src': [apiOrigin],
    'style-src': ["'unsafe-inline'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  if (captcha) for (const directive of captchaSources[captcha].directives) (directives[directive] ??= []).push(...captchaSources[captcha].sources);
  return Object.entries(directives)
    .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
    .join('; ');
}

/** Where the stack publishes the widget on AWS (CloudFront); unset locally, where the runtime serves /widget.js. */
const widgetUrlSchema = z.url({ protocol: /^https?$/ }).optional();

/**
 * GET /demo/{slug}: a page that embeds the widget, to try it and to copy the embed code from. Unknown and
 * draft campaigns answer 404 problem details, as GET /campaigns/{slug} does. The page is served from this
 * deployment's origin, so it only ever talks to this deployment: its widget's API is PUBLIC_URL, and nothing
 * in the request can point it (or its CSP) elsewhere; `?locale=` sets its language. When the API requires a
 * CAPTCHA and CAPTCHA_SITE_KEY is set, the widget shows the provider's challenge.
 */
export const handler = httpHandler(routes.getDemoPage, async ({ path, query }) => {
  const campaign = localise(await getPublicCampaign(path.slug ?? ''), query.locale);
  const url = new URL(config().PUBLIC_URL);
  // Only scheme, host, port and path: no credentials, query or fragment reach the page.
  const api = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  const widget = widgetUrlSchema.parse(process.env.WIDGET_URL);
  const lang = query.locale ?? 'en';
  const dir = rtl.includes(lang.split('-')[0] ?? '') ? 'rtl' : 'ltr';
  const { CAPTCHA_PROVIDER: provider, CAPTCHA_SITE_KEY: siteKey } = config();
  const captcha = provider !== 'none' && siteKey ? provider : undefined;
  const element =
    `<tadamon-action campaign="${escapeHtml(campaign.slug)}" api="${escapeHtml(api)}"${query.locale ? ` locale="${escapeHtml(query.locale)}"` : ''}` +
    `${captcha ? ` captcha="${captcha}" captcha-site-key="${escapeHtml(siteKey!)}"` : ''}></tadamon-action>`;
  const widgetScript = widget ?? `${api}/widget.js`;
  const snippet = `<script src="${widgetScript}" defer></script>\n${element}`;
  const result = html(
    200,
    `<!doctype html><html lang="${escapeHtml(lang)}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(campaign.title)} · Tadamon widget demo</title>
<style>body{margin:0;background:#f2f2f2;color:#1b1b1b;font:16px/1.5 system-ui,sans-serif}main{max-width:44rem;margin:2rem auto;padding:0 1rem}
pre{overflow:auto;padding:.75rem;background:#fff;border:1px solid #c4c4c4;border-radius:.3rem;direction:ltr;text-align:left}</style>
</head><body><main>
<p>This page embeds the Tadamon widget for one campaign.</p>
${element}
<h2>Embed it</h2><pre><code>${escapeHtml(snippet)}</code></pre>
</main><script src="${escapeHtml(widget ?? '/widget.js')}" defer></script></body></html>`,
  );
  return {
    ...result,
    headers: {
      ...result.headers,
      'content-security-policy': contentSecurityPolicy(url.origin, widget ? new URL(widget).origin : undefined, captcha),
    },
  };
});
