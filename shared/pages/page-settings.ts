import * as z from 'zod';
import { config } from '#shared/config.ts';
import type { WidgetEmbed } from './campaign-page.ts';
import type { CaptchaProvider, PublicPagePolicy } from './public-html.ts';

/** Where the stack publishes the widget on AWS (CloudFront); unset locally, where the runtime serves /widget.js. */
const widgetUrlSchema = z.url({ protocol: /^https?$/ }).optional();

export interface PageSettings {
  /** PUBLIC_URL without a trailing slash: the pages' own addresses. */
  baseUrl: string;
  widget: WidgetEmbed;
  policy: PublicPagePolicy;
}

/**
 * What the public pages need from the stage: their base address, the widget (script and API: this deployment
 * only, nothing in a request can point them elsewhere) and the captcha the widget shows, and the CSP that
 * allows exactly those.
 */
export function pageSettings(): PageSettings {
  const url = new URL(config().PUBLIC_URL);
  // Only scheme, host, port and path: no credentials, query or fragment reach the page.
  const api = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  const widgetUrl = widgetUrlSchema.parse(process.env.WIDGET_URL);
  const { CAPTCHA_PROVIDER: provider, CAPTCHA_SITE_KEY: siteKey } = config();
  const captcha: CaptchaProvider | undefined = provider !== 'none' && siteKey ? provider : undefined;
  return {
    baseUrl: api,
    widget: { scriptUrl: widgetUrl ?? `${api}/widget.js`, api, ...(captcha && siteKey ? { captcha: { provider: captcha, siteKey } } : {}) },
    policy: { apiOrigin: url.origin, widgetOrigin: widgetUrl ? new URL(widgetUrl).origin : url.origin, captcha },
  };
}
