/**
 * <tadamon-action campaign="slug" api="https://api.example.org" locale="ar">: the embeddable campaign widget.
 *
 * Dependency-free and self-contained (Shadow DOM, its own styles): it shows a campaign (title, summary,
 * the letter and its target for petitions), a live counter with progress toward the goal, and the signing
 * form, and talks to the public HTTP API (docs/http-api.md) cross-origin. Built by widget/build.ts into one minified
 * script served as /widget.js. Everything from the API is put in the page as text, never as HTML.
 *
 * Where the API requires a CAPTCHA, `captcha="turnstile|hcaptcha"` and `captcha-site-key="…"` make the widget
 * load the provider's script, show its challenge above the Sign button and send the token as `captchaToken`.
 *
 * On a statement it also counts and names the endorsing organisations and offers them a form of their own
 * (beside or instead of the one for people, as the campaign's `signers` says), linking to their full list on
 * the campaign's page (`page` attribute, else the campaign's `pageUrl`, else `{api}/act/{slug}`). Its words
 * come from shared/i18n/strings/widget.ts; a host page themes it with custom properties and `::part()`.
 */

import { mailLocales, scriptDirection, type MailLocale } from '#shared/i18n/locales.ts';
import { widgetStrings, type EndorsementField, type SignatureField, type WidgetStrings } from '#shared/i18n/strings/widget.ts';

type Lang = MailLocale;
type Field = SignatureField;
const fields: Field[] = ['name', 'email', 'country', 'postcode', 'comment'];
const endorsementFields: EndorsementField[] = ['organisation', 'orgCountry', 'website', 'contactName', 'contactEmail', 'consent'];

// ISO 3166-1 alpha-2, officially assigned codes; names come from Intl.DisplayNames in the widget's language.
const countryCodes = (
  'ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZ' +
  'ECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZ' +
  'LALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARE' +
  'RORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW'
).match(/../g) as string[];

/**
 * The widget is a guest on someone else's page: it takes the page's font, and its colours, corners and
 * spacing are custom properties the page may set on `tadamon-action` (docs/embedding.md lists them, with
 * the `::part()` names). The defaults keep WCAG AA contrast on the white card.
 */
const css = `
:host{display:block;max-width:42rem;font:inherit;--accent:var(--tadamon-accent,#a1161f);--on-accent:var(--tadamon-on-accent,#fff);--text:var(--tadamon-text,#1b1b1b);--bg:var(--tadamon-background,#fff);--line:var(--tadamon-border,#c4c4c4);--muted:var(--tadamon-muted,#555);--error:var(--tadamon-error,#b00020);--ok:var(--tadamon-success,#1d6b35);--focus:var(--tadamon-focus,#1a4fd6);--radius:var(--tadamon-radius,.5rem);--gap:var(--tadamon-spacing,1.25rem);color:var(--text)}
:host([hidden]){display:none}
*{box-sizing:border-box}
.root{position:relative;padding:var(--gap);border:1px solid var(--line);border-radius:var(--radius);background:var(--bg);text-align:start;line-height:1.5}
h2{font-size:1.5em;line-height:1.25;margin:0 0 .6rem}
h3{font-size:1.1em;line-height:1.3;margin:var(--gap) 0 .5rem}
p{margin:0 0 .75rem}
.letter-text{max-height:14rem;overflow:auto;padding:.75rem 1rem;background:color-mix(in srgb,var(--text) 5%,var(--bg));border-radius:calc(var(--radius)*.6);white-space:pre-line}
.letter-text p:last-child{margin:0}
.count{font-weight:700;font-size:1.15em;margin:1.1rem 0 .4rem}
.bar{height:.8rem;background:color-mix(in srgb,var(--text) 12%,var(--bg));border-radius:1rem;overflow:hidden;border:1px solid #8a8a8a}
.fill{height:100%;width:0;background:var(--accent);transition:width .6s}
.orgs{margin:.4rem 0 0;padding-inline-start:1.25rem}
.orgs li{margin:0 0 .2rem}
.orgs .where{color:var(--muted)}
a{color:inherit;text-decoration-thickness:.08em;text-underline-offset:.15em}
form{margin-top:var(--gap)}
.field{margin:0 0 .9rem}
label{display:block;font-weight:600;margin-bottom:.25rem}
.optional,.hint{font-weight:400;color:var(--muted)}
.hint{font-size:.9em;margin:0 0 .25rem}
input:not([type=checkbox]),select,textarea{display:block;width:100%;font:inherit;color:var(--text);background:var(--bg);padding:.5rem .6rem;border:1px solid #6f6f6f;border-radius:calc(var(--radius)*.6)}
textarea{resize:vertical}
[aria-invalid=true]{border:2px solid var(--error)!important}
.error{color:var(--error);margin:.3rem 0 0;font-size:.95em}
.error:empty{display:none}
.check{display:flex;gap:.6rem;align-items:flex-start;margin:0 0 .6rem}
.check input{flex:none;width:1.15rem;height:1.15rem;margin:.2rem 0 0;accent-color:var(--accent)}
.check label{font-weight:400;margin:0}
fieldset.partners{border:1px solid #c4c4c4;border-radius:calc(var(--radius)*.6);margin:0 0 .8rem;padding:.5rem .8rem 0}
fieldset.partners legend{font-weight:600;padding:0 .3rem}fieldset.partners .hint{margin:0 0 .6rem;font-size:.9rem}
.check .error{flex-basis:100%}
.consent{flex-wrap:wrap}
.consent label{flex:1}
button{font:inherit;font-weight:700;color:var(--on-accent);background:var(--accent);border:0;border-radius:calc(var(--radius)*.6);padding:.65rem 1.75rem;margin-top:.6rem;cursor:pointer}
button[disabled]{opacity:.75;cursor:progress}
details{margin-top:var(--gap);border-top:1px solid var(--line);padding-top:.75rem}
summary{cursor:pointer;font-weight:700}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.general{color:var(--error);font-weight:600}
.general:not(:empty){padding:.6rem .8rem;margin:0 0 1rem;border:2px solid var(--error);border-radius:calc(var(--radius)*.6);background:color-mix(in srgb,var(--error) 5%,var(--bg))}
.pending{margin-top:var(--gap);padding:1rem 1.1rem;border:2px solid var(--ok);border-radius:calc(var(--radius)*.8);background:color-mix(in srgb,var(--ok) 8%,var(--bg))}
.pending h3{margin-top:0}
.notice{font-weight:600}
.privacy{font-size:.9em;color:var(--muted);margin:.9rem 0 0}
.hp{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.root[dir=rtl] input[type=email],.root[dir=rtl] input[type=url]{text-align:right}
@media (prefers-reduced-motion:reduce){*,::before,::after{transition:none!important;animation:none!important;scroll-behavior:auto!important}}
`;

interface Counts {
  signatures: number;
  offset: number;
  total?: number;
  endorsements?: number;
  goal: number | null;
}

/** Who a campaign gathers (shared/domain/campaign.ts `signersOf`, repeated here: the widget bundles no zod). */
type Signers = 'people' | 'organisations' | 'both';

interface Campaign {
  slug: string;
  kind: string;
  title: string;
  summary: string;
  target?: string;
  letter?: string;
  locale: string;
  status: string;
  opensAt?: string;
  closesAt?: string;
  pageUrl?: string;
  signers?: Signers;
  /** The organisations behind it, each with its opt-in text per locale (the public API fills in every widget locale). */
  partners?: PartnerChoice[];
  counts: Counts;
}

/** A partner organisation as the API gives it (shared/domain/partners.ts `publicPartner`). */
interface PartnerChoice {
  id: string;
  name: string;
  website?: string;
  optIn?: Record<string, string>;
}

interface PublicEndorsement {
  organisation: string;
  country: string | null;
  website?: string;
}

interface Problem {
  title?: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

/**
 * Where the signer came from, from the host page's address: its campaign tracking fields, only those present
 * (shared/domain/signature.ts `signatureSourceSchema`: one line, at most 100 characters each). The API adds
 * the host of the page itself, from the request's Origin.
 */
function sourceOf(search: string): { source?: Record<string, string> } {
  const params = new URLSearchParams(search);
  const source: Record<string, string> = {};
  for (const key of ['utm_source', 'utm_medium', 'utm_campaign', 'ref']) {
    const value = params.get(key)?.replace(/\p{Cc}+/gu, ' ').trim().slice(0, 100).trim();
    if (value) source[key] = value;
  }
  return Object.keys(source).length ? { source } : {};
}

/** An https address with a dotted host, as the API asks of an organisation's website. */
function isHttpsAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.includes('.') && !/\s/.test(value);
  } catch {
    return false;
  }
}

/** `::part()` names for the page's CSS (docs/embedding.md), given to the controls of both forms once rendered. */
const partsBySelector: [string, string][] = [
  ['label:not([for=tadamon-website])', 'label'],
  ['input:not([type=checkbox]):not(#tadamon-website),select,textarea', 'input'],
  ['input[type=checkbox]', 'checkbox'],
  ['.error', 'error'],
  ['.pending', 'pending'],
  ['button', 'button'],
];

const signersOf = (campaign: Campaign): Signers => campaign.signers ?? (campaign.kind === 'statement' ? 'both' : 'people');

/** How many organisations a statement's widget names (the newest); the campaign's page lists them all. */
const shownOrganisations = 5;

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean> = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== false) el.setAttribute(name, value === true ? '' : value);
  for (const child of children) if (child) el.append(child);
  return el;
}

function pickLang(...tags: (string | null | undefined)[]): Lang {
  for (const tag of tags) {
    const base = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
    if ((mailLocales as readonly string[]).includes(base)) return base as Lang;
  }
  return 'en';
}

const directionOf = scriptDirection;

// The API defaults to where this script came from: https://api.example.org/widget.js → https://api.example.org.
const scriptSrc = (document.currentScript as HTMLScriptElement | null)?.src ?? '';
const scriptApi = /\/widget\.js(?:[?#].*)?$/.test(scriptSrc) ? scriptSrc.replace(/\/widget\.js(?:[?#].*)?$/, '') : '';

type CaptchaProvider = 'turnstile' | 'hcaptcha';

/** What the widget uses of Turnstile's and hCaptcha's explicit-render APIs, which have the same shape. */
interface CaptchaApi {
  render(container: HTMLElement, options: Record<string, unknown>): string | null | undefined;
  reset(id: string): void;
  remove?(id: string): void;
}

const captchaScripts: Record<CaptchaProvider, string> = {
  turnstile: 'https://challenges.cloudflare.com/turnstile/v0/api.js',
  hcaptcha: 'https://js.hcaptcha.com/1/api.js',
};

const captchaLoads = new Map<CaptchaProvider, Promise<CaptchaApi>>();

/**
 * The provider's script, once per page however many widgets it has (or the copy the page loaded itself).
 * Explicit rendering, since the widget says where the challenge goes; ready when the script calls `onload`,
 * which hCaptcha does only once it can render.
 */
function loadCaptcha(provider: CaptchaProvider): Promise<CaptchaApi> {
  const globals = window as unknown as Record<string, unknown>;
  const loading = captchaLoads.get(provider);
  if (loading) return loading;
  const load = new Promise<CaptchaApi>((resolve, reject) => {
    if (globals[provider]) return resolve(globals[provider] as CaptchaApi);
    const onload = `tadamon_${provider}_loaded`;
    globals[onload] = () => resolve(globals[provider] as CaptchaApi);
    const script = h('script', { src: `${captchaScripts[provider]}?render=explicit&onload=${onload}`, async: true });
    script.onerror = () => {
      // Gone, so that a widget started later (a flaky connection, say) may try again.
      script.remove();
      captchaLoads.delete(provider);
      reject(new Error(`${provider} did not load`));
    };
    document.head.append(script);
  });
  captchaLoads.set(provider, load);
  return load;
}

let sheet: CSSStyleSheet | undefined;

/**
 * How often the counter asks for counts. Every open widget polls, so a viral campaign's viewers are the
 * API's largest load: each waits 5 s while the count moves, twice as long after each answer that brings no
 * change (up to a minute), and likewise after an error (up to 5 minutes) or at least as long as a 429 or 503
 * says in Retry-After. A hidden tab asks nothing. Every wait is lengthened by up to 20 % at random, so that
 * viewers who arrived together do not ask together (never shortened: Retry-After is a minimum).
 */
const polling = { baseMs: 5_000, unchangedMaxMs: 60_000, errorMaxMs: 300_000, retryAfterMaxMs: 3_600_000, spread: 0.2 } as const;

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds; undefined when absent or unreadable. */
function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = /^\s*(\d+)\s*$/.exec(value);
  const ms = seconds ? Number(seconds[1]) * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}

/** The wait before the next poll, from the last one and what its answer said. */
function nextPollDelay(last: number, outcome: 'changed' | 'unchanged' | 'error', retryAfter?: number): number {
  if (outcome === 'changed') return polling.baseMs;
  if (outcome === 'unchanged') return Math.min(Math.max(last * 2, polling.baseMs), polling.unchangedMaxMs);
  const backoff = Math.min(Math.max(last * 2, polling.baseMs), polling.errorMaxMs);
  return retryAfter === undefined ? backoff : Math.min(Math.max(backoff, retryAfter), polling.retryAfterMaxMs);
}

/** Why the campaign did not load: `message` for the page's author (the console), `readable` for its readers. */
class LoadError extends Error {
  readonly readable: string;
  constructor(message: string, readable: string) {
    super(message);
    this.readable = readable;
  }
}

class TadamonAction extends HTMLElement {
  static readonly observedAttributes = ['campaign', 'api', 'locale', 'page', 'captcha', 'captcha-site-key'];

  private readonly shadow: ShadowRoot;
  private scheduled = false;
  private controller: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The wait before the next poll, before jitter (nextPollDelay). */
  private pollDelay: number = polling.baseMs;
  /** The totals last shown (signatures and endorsements): an answer with the same is no change. */
  private shownTotal: string | undefined;
  private polling = false;
  private observer: IntersectionObserver | undefined;
  private inView = true;
  private language: Lang = 'en';
  private t: WidgetStrings = widgetStrings.en;
  private api = '';
  private slug = '';
  private busy = false;
  private box!: HTMLDivElement;
  private countText: HTMLParagraphElement | undefined;
  private bar: HTMLDivElement | undefined;
  private fill: HTMLDivElement | undefined;
  private form: HTMLFormElement | undefined;
  private general: HTMLDivElement | undefined;
  private pending: HTMLDivElement | undefined;
  private honeypot: HTMLInputElement | undefined;
  private submitButton: HTMLButtonElement | undefined;
  private controls = {} as Record<Field, Control>;
  private fieldErrors = {} as Record<Field, HTMLElement>;
  private checks = {} as Record<'public' | 'subscribe', HTMLInputElement>;
  /** One unticked box per partner organisation, by partner id. */
  private partnerChecks = new Map<string, HTMLInputElement>();
  private partners: PartnerChoice[] = [];
  /** Set by the `captcha` attribute: signing then needs a token from the provider's challenge. */
  private captcha: string | null = null;
  private captchaBox: HTMLDivElement | undefined;
  private captchaWidget: { api: CaptchaApi; id: string } | undefined;
  private captchaToken = '';
  private captchaError: HTMLParagraphElement | undefined;
  /** The challenge and its message, moved to the form in use (placeCaptcha). */
  private captchaField: HTMLDivElement | undefined;
  /** A statement's organisations: their count, and the section that names the first of them. */
  private endorsementsText: HTMLParagraphElement | undefined;
  private organisations: HTMLElement | undefined;
  private organisationList: HTMLUListElement | undefined;
  private endorseForm: HTMLFormElement | undefined;
  private endorseGeneral: HTMLDivElement | undefined;
  private endorsePending: HTMLDivElement | undefined;
  private endorseButton: HTMLButtonElement | undefined;
  private endorseControls = {} as Record<Exclude<EndorsementField, 'consent'>, HTMLInputElement | HTMLSelectElement> & { consent: HTMLInputElement };
  private endorseErrors = {} as Record<EndorsementField, HTMLElement>;

  constructor() {
    super();
    this.shadow = this.attachShadow({ mode: 'open' });
    // A constructed stylesheet is not an inline style: host pages with a strict CSP need no 'unsafe-inline'.
    try {
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
      }
      this.shadow.adoptedStyleSheets = [sheet];
    } catch {
      this.shadow.append(h('style', {}, css));
    }
  }

  connectedCallback(): void {
    this.schedule();
  }

  attributeChangedCallback(): void {
    this.schedule();
  }

  disconnectedCallback(): void {
    this.stop();
  }

  /** Attributes arrive one by one (and before connectedCallback on upgrade): start once they have all settled. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      if (!this.isConnected) return;
      this.stop();
      void this.start();
    });
  }

  private stop(): void {
    this.controller?.abort();
    this.controller = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.polling = false;
    this.observer?.disconnect();
    this.observer = undefined;
    document.removeEventListener('visibilitychange', this.onVisibility);
    try {
      this.captchaWidget?.api.remove?.(this.captchaWidget.id);
    } catch {
      // Already gone with its element.
    }
    this.captchaBox?.remove();
    this.captchaBox = this.captchaWidget = this.captchaError = this.captchaField = undefined;
    this.captchaToken = '';
  }

  private async start(): Promise<void> {
    this.language = pickLang(this.getAttribute('locale'), document.documentElement.lang, ...navigator.languages);
    this.t = widgetStrings[this.language];
    this.api = (this.getAttribute('api') || scriptApi).replace(/\/+$/, '');
    this.slug = this.getAttribute('campaign') ?? '';
    this.captcha = this.getAttribute('captcha') || null;
    this.busy = false;
    const controller = (this.controller = new AbortController());

    this.box = h('div', { class: 'root', part: 'root', lang: this.language, dir: directionOf(this.language) });
    const status = h('p', { class: 'notice', role: 'status' }, this.t.loading);
    this.box.append(status);
    this.shadow.replaceChildren(...[...this.shadow.children].filter((c) => c.localName === 'style'), this.box);

    const url = `${this.api}/campaigns/${encodeURIComponent(this.slug)}?locale=${this.language}`;
    let campaign: Campaign;
    try {
      if (!this.slug) throw new LoadError('the `campaign` attribute is missing or empty', this.t.loadFailed);
      const response = await fetch(url, { headers: { accept: 'application/json' }, signal: controller.signal }).catch((error: unknown) => {
        throw new LoadError(`the API could not be reached (${String(error)})`, this.t.offline);
      });
      if (!response.ok) {
        const problem = ((await response.json().catch(() => ({}))) ?? {}) as Problem;
        const said = [problem.title, problem.detail].filter(Boolean).join(': ');
        throw new LoadError(`the API answered ${response.status}${said ? ` (${said})` : ''}`, response.status === 404 ? this.t.notFound : this.t.loadFailed);
      }
      campaign = (await response.json()) as Campaign;
    } catch (error) {
      if (controller.signal.aborted) return;
      // The page's author sees why in the console; the page's readers get a sentence in their language.
      const why = error instanceof LoadError ? error.message : `its answer could not be read (${String(error)})`;
      console.error(`<tadamon-action>: campaign "${this.slug}" could not be loaded from ${url}: ${why}.`);
      status.setAttribute('role', 'alert');
      status.textContent = error instanceof LoadError ? error.readable : this.t.loadFailed;
      return;
    }
    if (controller.signal.aborted) return;
    this.partners = Array.isArray(campaign.partners) ? campaign.partners : [];
    this.render(campaign);
    this.updateCounts(campaign.counts);
    this.poll();
    void this.mountCaptcha(controller.signal);
    if (this.organisations) void this.loadOrganisations(controller.signal);
  }

  /**
   * The challenge goes in an element of the light DOM, slotted into the form: the providers' scripts do not
   * work inside shadow roots. Its token is kept for the next signature; a failure to load is said inline.
   */
  private async mountCaptcha(signal: AbortSignal): Promise<void> {
    const provider = this.captcha as CaptchaProvider;
    const sitekey = this.getAttribute('captcha-site-key');
    const error = this.captchaError;
    if (!provider || !error) return;
    const box = (this.captchaBox = h('div', { slot: 'captcha' }));
    this.append(box);
    try {
      if (!sitekey || (provider !== 'turnstile' && provider !== 'hcaptcha')) throw new Error('captcha attributes incomplete');
      const api = await loadCaptcha(provider);
      if (signal.aborted) return;
      const id = api.render(box, {
        sitekey,
        [provider === 'turnstile' ? 'language' : 'hl']: this.language,
        callback: (token: string) => {
          this.captchaToken = token;
          error.textContent = '';
        },
        'expired-callback': () => this.resetCaptcha(),
        // The challenge shows the error and its own retry; returning true tells Turnstile it was handled.
        'error-callback': () => {
          this.captchaToken = '';
          return true;
        },
      });
      if (id == null) throw new Error('captcha not rendered');
      this.captchaWidget = { api, id };
    } catch {
      if (!signal.aborted) error.textContent = this.t.captchaUnavailable;
    }
  }

  /** Tokens are single-use and expire: after each attempt, and on expiry, the person solves a fresh challenge. */
  private resetCaptcha(): void {
    this.captchaToken = '';
    if (this.captchaWidget) this.captchaWidget.api.reset(this.captchaWidget.id);
  }

  private render(campaign: Campaign): void {
    const t = this.t;
    // The campaign's texts are in the language the API served them in, which may differ from the widget's.
    const content = { lang: campaign.locale, dir: directionOf(campaign.locale) };
    const letter =
      campaign.kind === 'petition' && campaign.letter
        ? h(
            'section',
            {},
            h('h3', { id: 'letter-heading' }, ...(campaign.target ? this.withTarget(campaign.target, content) : [t.letter])),
            h(
              'div',
              { class: 'letter-text', role: 'region', 'aria-labelledby': 'letter-heading', tabindex: '0', ...content },
              ...campaign.letter.split(/\n\s*\n/).map((paragraph) => h('p', {}, paragraph.trim())),
            ),
          )
        : null;

    const signers = signersOf(campaign);
    const people = signers !== 'organisations';
    const organisations = signers !== 'people';
    this.countText = people ? h('p', { class: 'count', part: 'count', 'aria-live': 'polite', 'aria-atomic': 'true' }) : undefined;
    this.fill = h('div', { class: 'fill', part: 'progress-fill' });
    this.bar = people ? h('div', { class: 'bar', part: 'progress', role: 'progressbar', 'aria-label': t.progress, 'aria-valuemin': '0' }, this.fill) : undefined;
    this.endorsementsText = organisations ? h('p', { class: 'count', part: 'count', 'aria-live': 'polite', 'aria-atomic': 'true' }) : undefined;

    this.box.replaceChildren(h('h2', { part: 'title', ...content }, campaign.title));
    if (campaign.summary) this.box.append(h('p', { class: 'summary', part: 'summary', ...content }, campaign.summary));
    if (letter) this.box.append(letter);
    this.box.append(h('div', { class: 'counter', part: 'counter' }, this.countText, this.bar, this.endorsementsText));
    this.organisations = organisations ? this.renderOrganisations(campaign) : undefined;
    if (this.organisations) this.box.append(this.organisations);

    const now = Date.now();
    const open =
      campaign.status === 'open' &&
      !(campaign.opensAt && Date.parse(campaign.opensAt) > now) &&
      !(campaign.closesAt && Date.parse(campaign.closesAt) <= now);
    if (open) this.renderForms(people, organisations);
    else this.box.append(h('p', { class: 'notice', part: 'notice', role: 'status' }, people ? t.closed : t.endorseClosed));
    for (const [selector, part] of partsBySelector) for (const el of this.box.querySelectorAll(selector)) el.part.add(part);
  }

  /** The form for people, the one for organisations, or both (the second folded away), as the campaign says. */
  private renderForms(people: boolean, organisations: boolean): void {
    const t = this.t;
    this.captchaError = this.captcha ? h('p', { class: 'error', part: 'error', id: 'tadamon-captcha-error', role: 'alert' }) : undefined;
    this.captchaField = this.captchaError && h('div', { class: 'field' }, h('slot', { name: 'captcha' }), this.captchaError);
    if (people) this.box.append(this.renderForm());
    if (!organisations) return;
    const endorsing = this.renderEndorsementForm();
    if (!people) {
      this.placeCaptcha(this.endorseForm);
      return void this.box.append(endorsing);
    }
    // Beside the form for people, folded: most readers sign for themselves. The one anti-robot challenge
    // goes to whichever form is in use.
    const more = h('details', { part: 'endorse' }, h('summary', {}, t.endorseOpen), endorsing);
    more.addEventListener('toggle', () => this.placeCaptcha(more.open ? this.endorseForm : this.form));
    this.box.append(more);
  }

  /** The challenge (when there is one) sits just above the form's button. */
  private placeCaptcha(form: HTMLFormElement | undefined): void {
    const button = form?.querySelector('button');
    if (this.captchaField && button) button.before(this.captchaField);
  }

  /** A statement's endorsing organisations: the count above, the first of them named (loadOrganisations), a link to them all. */
  private renderOrganisations(campaign: Campaign): HTMLElement {
    const page = this.getAttribute('page') || campaign.pageUrl || `${this.api}/act/${encodeURIComponent(campaign.slug)}?locale=${this.language}`;
    this.organisationList = h('ul', { class: 'orgs', part: 'organisation-list' });
    return h(
      'section',
      { class: 'endorsements', part: 'endorsements', 'aria-labelledby': 'endorsements-heading', hidden: true },
      h('h3', { id: 'endorsements-heading' }, this.t.endorsedBy),
      this.organisationList,
      h('p', {}, h('a', { href: page, part: 'all-organisations' }, this.t.allOrganisations)),
    );
  }

  /**
   * The newest organisations of the statement's public list (who joined lately), each with its
   * country and, where it gave one, a link to its site. A failure leaves the section hidden: the count says enough.
   */
  private async loadOrganisations(signal: AbortSignal): Promise<void> {
    const url = `${this.api}/campaigns/${encodeURIComponent(this.slug)}/endorsements?order=newest&limit=${shownOrganisations}`;
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, signal });
      if (!response.ok) throw new Error(`the API answered ${response.status}`);
      const { items } = (await response.json()) as { items: PublicEndorsement[] };
      if (signal.aborted || !this.organisations || !this.organisationList || !items.length) return;
      let regions: Intl.DisplayNames | undefined;
      try {
        regions = new Intl.DisplayNames([this.language], { type: 'region' });
      } catch {
        regions = undefined;
      }
      this.organisationList.replaceChildren(
        ...items.map((item) => {
          const name = item.website && /^https:\/\//.test(item.website) ? h('a', { href: item.website, rel: 'noopener nofollow ugc', dir: 'auto' }, item.organisation) : h('bdi', {}, item.organisation);
          const country = item.country ? (regions?.of(item.country) ?? item.country) : '';
          return h('li', {}, name, country ? h('span', { class: 'where' }, ` (${country})`) : null);
        }),
      );
      this.organisations.hidden = false;
    } catch (error) {
      if (!signal.aborted) console.error(`<tadamon-action>: the organisations endorsing "${this.slug}" could not be loaded from ${url}: ${String(error)}.`);
    }
  }

  /** "Letter to {target}" with the target in its own language and direction (an English name in Arabic text). */
  private withTarget(target: string, content: Record<string, string>): (string | Node)[] {
    const [before = '', after = ''] = this.t.letterTo.split('{target}');
    return [before, h('bdi', content, target), after];
  }

  private renderForm(): HTMLElement {
    const t = this.t;
    const c = this.controls;
    c.name = h('input', { type: 'text', autocomplete: 'name', maxlength: '200', dir: 'auto', required: true });
    c.email = h('input', { type: 'email', autocomplete: 'email', inputmode: 'email', maxlength: '254', dir: 'ltr', spellcheck: 'false', required: true });
    c.country = h('select', { autocomplete: 'country', required: true }, h('option', { value: '' }, t.chooseCountry), ...this.countryOptions());
    c.postcode = h('input', { type: 'text', autocomplete: 'postal-code', maxlength: '20', dir: 'auto' });
    c.comment = h('textarea', { rows: '3', maxlength: '1000', dir: 'auto' });

    const field = (name: Field, optional = false) => {
      const control = c[name];
      control.id = `tadamon-${name}`;
      control.name = name;
      const error = (this.fieldErrors[name] = h('p', { class: 'error', id: `tadamon-${name}-error` }));
      control.setAttribute('aria-describedby', error.id);
      return h(
        'div',
        { class: 'field' },
        h('label', { for: control.id }, t.labels[name], optional ? h('span', { class: 'optional' }, ` ${t.optional}`) : null),
        control,
        error,
      );
    };
    const check = (name: 'public' | 'subscribe') => {
      const box = (this.checks[name] = h('input', { type: 'checkbox', id: `tadamon-${name}`, name }));
      return h('div', { class: 'check' }, box, h('label', { for: box.id }, t[name]));
    };

    // A trap for bots: people never see it or reach it with the keyboard, and screen readers skip it.
    this.honeypot = h('input', { type: 'text', id: 'tadamon-website', name: 'website', tabindex: '-1', autocomplete: 'off' });
    this.general = h('div', { class: 'general', role: 'alert', 'aria-live': 'assertive', tabindex: '-1' });
    this.submitButton = h('button', { type: 'submit' }, t.submit);
    this.form = h(
      'form',
      { novalidate: true, part: 'form', 'aria-labelledby': 'form-heading' },
      h('h3', { id: 'form-heading' }, t.heading),
      this.general,
      field('name'),
      field('email'),
      field('country'),
      field('postcode', true),
      field('comment', true),
      check('public'),
      check('subscribe'),
      this.renderPartnerChoices(),
      h('div', { class: 'hp', 'aria-hidden': 'true' }, h('label', { for: 'tadamon-website' }, 'Website'), this.honeypot),
      this.captchaField,
      this.submitButton,
      h('p', { class: 'privacy' }, t.privacy),
    );
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.pending = h(
      'div',
      { class: 'pending', role: 'status', tabindex: '-1', hidden: true },
      h('h3', {}, t.pendingTitle),
      h('p', {}, t.pending),
    );
    return h('div', {}, this.form, this.pending);
  }

  /**
   * One unticked box per partner organisation, in the text the API gives for the widget's language: the server
   * records the consent with the same text (the request carries the same `locale`). A partner without a text
   * in that language is not offered rather than shown in words the consent would not record.
   */
  private renderPartnerChoices(): HTMLElement | null {
    const t = this.t;
    this.partnerChecks = new Map();
    const offered = this.partners.filter((p) => typeof p.optIn?.[this.language] === 'string');
    if (!offered.length) return null;
    const hint = h('p', { class: 'hint', id: 'tadamon-partners-hint' }, t.partnersHint);
    const boxes = offered.map((p) => {
      const box = h('input', { type: 'checkbox', id: `tadamon-partner-${p.id}`, name: 'partners', value: p.id });
      this.partnerChecks.set(p.id, box);
      return h('div', { class: 'check' }, box, h('label', { for: box.id }, p.optIn![this.language]!));
    });
    return h('fieldset', { class: 'partners', part: 'partners', 'aria-describedby': hint.id }, h('legend', {}, t.partners), hint, ...boxes);
  }

  private countryOptions(): HTMLOptionElement[] {
    let names: Intl.DisplayNames | undefined;
    try {
      names = new Intl.DisplayNames([this.language], { type: 'region' });
    } catch {
      names = undefined;
    }
    const collator = new Intl.Collator(this.language);
    return countryCodes
      .map((code) => ({ code, name: names?.of(code) ?? code }))
      .sort((a, b) => collator.compare(a.name, b.name))
      .map(({ code, name }) => h('option', { value: code }, name));
  }

  private chosenPartners(): string[] {
    return [...this.partnerChecks].filter(([, box]) => box.checked).map(([id]) => id);
  }

  private updateCounts(counts: Counts): void {
    const total = counts.total ?? counts.signatures + counts.offset;
    const endorsements = counts.endorsements ?? 0;
    this.shownTotal = `${total} ${endorsements}`;
    const number = new Intl.NumberFormat(this.language);
    if (this.endorsementsText) {
      const text = this.t.endorsementsCount(number.format(endorsements));
      if (this.endorsementsText.textContent !== text) this.endorsementsText.textContent = text;
    }
    if (!this.countText || !this.bar || !this.fill) return;
    const text = this.t.count(number.format(total), counts.goal ? number.format(counts.goal) : null);
    // Only real changes reach the live region, so screen readers hear the counter move and nothing else.
    if (this.countText.textContent !== text) this.countText.textContent = text;
    this.bar.hidden = !counts.goal;
    if (counts.goal) {
      this.bar.setAttribute('aria-valuemax', String(counts.goal));
      this.bar.setAttribute('aria-valuenow', String(Math.min(total, counts.goal)));
      this.bar.setAttribute('aria-valuetext', text);
      this.fill.style.width = `${Math.min(100, (total / counts.goal) * 100)}%`;
    }
  }

  /**
   * Polls the counts while the widget is on screen and its tab is visible, waiting as `polling` says; stops
   * while the tab is hidden or the widget scrolled away, and asks at once when either comes back.
   */
  private poll(): void {
    if ('IntersectionObserver' in window) {
      this.observer = new IntersectionObserver((entries) => {
        const wasInView = this.inView;
        this.inView = entries.some((entry) => entry.isIntersecting);
        if (this.inView && !wasInView) this.resume();
      });
      this.observer.observe(this);
    }
    document.addEventListener('visibilitychange', this.onVisibility);
    this.pollDelay = polling.baseMs;
    this.wait();
  }

  private readonly onVisibility = () => {
    if (document.visibilityState === 'visible') this.resume();
    else this.pause();
  };

  private canPoll(): boolean {
    return this.inView && document.visibilityState === 'visible' && this.controller !== undefined && !this.controller.signal.aborted;
  }

  /** Nothing is asked while nobody can see the counter; no timer is left running either. */
  private pause(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Back in sight (the tab shown again, say after confirming from the mailbox): ask now, then at the base pace. */
  private resume(): void {
    if (!this.canPoll()) return;
    this.pause();
    this.pollDelay = polling.baseMs;
    void this.refreshCounts();
  }

  private wait(): void {
    this.pause();
    if (!this.canPoll()) return;
    this.timer = setTimeout(() => void this.refreshCounts(), Math.round(this.pollDelay * (1 + polling.spread * Math.random())));
  }

  private async refreshCounts(): Promise<void> {
    if (!this.canPoll() || this.polling) return;
    const signal = this.controller!.signal;
    this.polling = true;
    let outcome: 'changed' | 'unchanged' | 'error' = 'error';
    let retryAfter: number | undefined;
    try {
      const response = await fetch(`${this.api}/campaigns/${encodeURIComponent(this.slug)}/counts`, {
        headers: { accept: 'application/json' },
        // Always ask the CDN (with the ETag the browser holds: an unchanged count is a 304), never the
        // browser's own copy: its stale-while-revalidate would show every change one poll late.
        cache: 'no-cache',
        signal,
      });
      if (response.ok) {
        const counts = (await response.json()) as Counts;
        const before = this.shownTotal;
        this.updateCounts(counts);
        outcome = this.shownTotal === before ? 'unchanged' : 'changed';
      } else if (response.status === 429 || response.status === 503) {
        retryAfter = retryAfterMs(response.headers.get('retry-after'));
      }
    } catch {
      // Offline or refused: waited out like any other error.
    } finally {
      this.polling = false;
    }
    if (signal.aborted) return;
    this.pollDelay = nextPollDelay(this.pollDelay, outcome, retryAfter);
    this.wait();
  }

  private async submit(): Promise<void> {
    if (this.busy || !this.form || !this.general) return;
    const c = this.controls;
    const errors: Partial<Record<Field, string>> = {};
    if (!c.name.value.trim()) errors.name = this.t.errors.name;
    if (!c.email.value.trim() || !c.email.validity.valid) errors.email = this.t.errors.email;
    if (!c.country.value) errors.country = this.t.errors.country;
    if (c.postcode.value.trim().length > 20) errors.postcode = this.t.errors.postcode;
    if (c.comment.value.length > 1000) errors.comment = this.t.errors.comment;
    if (Object.keys(errors).length) return this.showErrors(errors);

    // Filled only by bots: they are told what a person would be, and nothing is sent.
    if (this.honeypot?.value) return this.showPending();
    const captchaToken = this.captchaToken;
    if (this.captchaError && !captchaToken) {
      this.showErrors({});
      this.captchaError.textContent = this.captchaWidget ? this.t.captcha : this.t.captchaUnavailable;
      return;
    }

    const body = {
      name: c.name.value,
      email: c.email.value.trim(),
      country: c.country.value,
      ...(c.postcode.value.trim() ? { postcode: c.postcode.value } : {}),
      ...(c.comment.value.trim() ? { comment: c.comment.value } : {}),
      public: this.checks.public.checked,
      subscribe: this.checks.subscribe.checked,
      ...(this.chosenPartners().length ? { partners: this.chosenPartners() } : {}),
      locale: this.language,
      ...sourceOf(location.search),
      ...(captchaToken ? { captchaToken } : {}),
    };
    const signal = this.controller?.signal;
    this.setBusy(true);
    this.showErrors({}, '', false);
    try {
      const response = await fetch(`${this.api}/campaigns/${encodeURIComponent(this.slug)}/signatures`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        ...(signal ? { signal } : {}),
      });
      if (response.status === 202) return this.showPending();
      const problem = ((await response.json().catch(() => ({}))) ?? {}) as Problem;
      if (response.status === 400 && problem.errors?.length) {
        const mapped: Partial<Record<Field, string>> = {};
        let unmapped = false;
        for (const error of problem.errors) {
          const name = error.path.split('.')[0] as Field;
          if (fields.includes(name)) mapped[name] = this.t.errors[name];
          else if (error.path === 'captchaToken' && this.captchaError) this.captchaError.textContent = this.t.captcha;
          else unmapped = true;
        }
        return this.showErrors(mapped, unmapped ? this.t.failed : undefined);
      }
      this.showErrors({}, response.status === 409 ? this.t.closed : response.status === 429 ? this.t.tooMany : this.t.failed);
    } catch {
      if (!signal?.aborted) this.showErrors({}, this.t.offline);
    } finally {
      this.setBusy(false);
      if (captchaToken && !signal?.aborted) this.resetCaptcha();
    }
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    if (!this.submitButton || !this.form) return;
    this.submitButton.disabled = busy;
    this.submitButton.textContent = busy ? this.t.sending : this.t.submit;
    this.form.setAttribute('aria-busy', String(busy));
  }

  /** Messages next to their fields; focus goes to the first field in error, or else to the general message. */
  private showErrors(errors: Partial<Record<Field, string>>, general?: string, focus = true): void {
    for (const name of fields) {
      const message = errors[name];
      this.fieldErrors[name].textContent = message ?? '';
      if (message) this.controls[name].setAttribute('aria-invalid', 'true');
      else this.controls[name].removeAttribute('aria-invalid');
    }
    const first = fields.find((name) => errors[name]);
    if (this.general) this.general.textContent = general ?? (first ? this.t.fix : '');
    if (!focus) return;
    if (first) this.controls[first].focus();
    else if (general) this.general?.focus();
  }

  private showPending(): void {
    if (!this.form || !this.pending) return;
    this.form.hidden = true;
    this.pending.hidden = false;
    this.pending.focus();
  }

  // --- Endorsement by an organisation (statements): POST /campaigns/{slug}/endorsements ---

  private renderEndorsementForm(): HTMLElement {
    const t = this.t;
    const c = this.endorseControls;
    c.organisation = h('input', { type: 'text', autocomplete: 'organization', maxlength: '300', dir: 'auto', required: true });
    c.orgCountry = h('select', { required: true }, h('option', { value: '' }, t.chooseCountry), ...this.countryOptions());
    c.website = h('input', { type: 'url', inputmode: 'url', maxlength: '500', dir: 'ltr', spellcheck: 'false', placeholder: 'https://' });
    c.contactName = h('input', { type: 'text', autocomplete: 'name', maxlength: '200', dir: 'auto' });
    c.contactEmail = h('input', { type: 'email', autocomplete: 'email', inputmode: 'email', maxlength: '254', dir: 'ltr', spellcheck: 'false', required: true });
    c.consent = h('input', { type: 'checkbox', required: true });

    const hints: Partial<Record<EndorsementField, string>> = t.endorseHints;
    const field = (name: EndorsementField, optional = false) => {
      const control = c[name];
      control.id = `tadamon-org-${name}`;
      control.name = name;
      const error = (this.endorseErrors[name] = h('p', { class: 'error', part: 'error', id: `tadamon-org-${name}-error` }));
      const hint = hints[name] ? h('p', { class: 'hint', id: `tadamon-org-${name}-hint` }, hints[name]) : null;
      control.setAttribute('aria-describedby', [hint?.id, error.id].filter(Boolean).join(' '));
      const label = h('label', { for: control.id }, t.endorseLabels[name], optional ? h('span', { class: 'optional' }, ` ${t.optional}`) : null);
      if (name === 'consent') return h('div', { class: 'check consent' }, control, label, error);
      return h('div', { class: 'field' }, label, hint, control, error);
    };

    this.endorseGeneral = h('div', { class: 'general', role: 'alert', 'aria-live': 'assertive', tabindex: '-1' });
    this.endorseButton = h('button', { type: 'submit', part: 'button' }, t.endorseSubmit);
    this.endorseForm = h(
      'form',
      { novalidate: true, part: 'endorsement-form', 'aria-labelledby': 'endorse-heading' },
      h('h3', { id: 'endorse-heading' }, t.endorseHeading),
      this.endorseGeneral,
      field('organisation'),
      field('orgCountry'),
      field('website', true),
      field('contactName', true),
      field('contactEmail'),
      field('consent'),
      this.endorseButton,
    );
    this.endorseForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submitEndorsement();
    });
    this.endorsePending = h(
      'div',
      { class: 'pending', part: 'pending', role: 'status', tabindex: '-1', hidden: true },
      h('h3', {}, t.endorsePendingTitle),
      h('p', {}, t.endorsePending),
    );
    return h('div', {}, this.endorseForm, this.endorsePending);
  }

  private async submitEndorsement(): Promise<void> {
    const c = this.endorseControls;
    if (this.busy || !this.endorseForm || !this.endorseButton) return;
    const website = c.website.value.trim();
    const errors: Partial<Record<EndorsementField, string>> = {};
    if (!c.organisation.value.trim()) errors.organisation = this.t.endorseErrors.organisation;
    if (!c.orgCountry.value) errors.orgCountry = this.t.endorseErrors.orgCountry;
    if (website && !isHttpsAddress(website)) errors.website = this.t.endorseErrors.website;
    const contactName = c.contactName.value.trim();
    if (/[\r\n]/.test(contactName) || contactName.length > 200) errors.contactName = this.t.endorseErrors.contactName;
    if (!c.contactEmail.value.trim() || !(c.contactEmail as HTMLInputElement).validity.valid) errors.contactEmail = this.t.endorseErrors.contactEmail;
    if (!c.consent.checked) errors.consent = this.t.endorseErrors.consent;
    if (Object.keys(errors).length) return this.showEndorseErrors(errors);
    const captchaToken = this.captchaToken;
    if (this.captchaError && !captchaToken) {
      this.showEndorseErrors({});
      this.captchaError.textContent = this.captchaWidget ? this.t.captcha : this.t.captchaUnavailable;
      return;
    }

    // The API's names (shared/domain/endorsement.ts): the consent is the person's, asked here and not stored.
    const body = {
      organisation: c.organisation.value.trim(),
      country: c.orgCountry.value,
      email: c.contactEmail.value.trim(),
      ...(website ? { website } : {}),
      ...(contactName ? { contactName } : {}),
      // The confirmation mail is written in the widget's language.
      locale: this.language,
      ...(captchaToken ? { captchaToken } : {}),
    };
    const signal = this.controller?.signal;
    this.setEndorseBusy(true);
    this.showEndorseErrors({}, '', false);
    try {
      const response = await fetch(`${this.api}/campaigns/${encodeURIComponent(this.slug)}/endorsements`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        ...(signal ? { signal } : {}),
      });
      if (response.status === 202) {
        this.endorseForm.hidden = true;
        this.endorsePending!.hidden = false;
        this.endorsePending!.focus();
        return;
      }
      const problem = ((await response.json().catch(() => ({}))) ?? {}) as Problem;
      if (response.status === 400 && problem.errors?.length) {
        const fromApi: Record<string, EndorsementField> = { organisation: 'organisation', country: 'orgCountry', website: 'website', contactName: 'contactName', email: 'contactEmail' };
        const mapped: Partial<Record<EndorsementField, string>> = {};
        let unmapped = false;
        for (const error of problem.errors) {
          const name = fromApi[error.path.split('.')[0] ?? ''];
          if (name) mapped[name] = this.t.endorseErrors[name];
          else if (error.path === 'captchaToken' && this.captchaError) this.captchaError.textContent = this.t.captcha;
          else unmapped = true;
        }
        return this.showEndorseErrors(mapped, unmapped ? this.t.failed : undefined);
      }
      this.showEndorseErrors({}, response.status === 409 ? this.t.endorseClosed : response.status === 429 ? this.t.tooMany : this.t.failed);
    } catch {
      if (!signal?.aborted) this.showEndorseErrors({}, this.t.offline);
    } finally {
      this.setEndorseBusy(false);
      if (captchaToken && !signal?.aborted) this.resetCaptcha();
    }
  }

  private setEndorseBusy(busy: boolean): void {
    this.busy = busy;
    if (!this.endorseButton || !this.endorseForm) return;
    this.endorseButton.disabled = busy;
    this.endorseButton.textContent = busy ? this.t.sending : this.t.endorseSubmit;
    this.endorseForm.setAttribute('aria-busy', String(busy));
  }

  /** As showErrors, for the organisations' form. */
  private showEndorseErrors(errors: Partial<Record<EndorsementField, string>>, general?: string, focus = true): void {
    for (const name of endorsementFields) {
      const message = errors[name];
      this.endorseErrors[name].textContent = message ?? '';
      if (message) this.endorseControls[name].setAttribute('aria-invalid', 'true');
      else this.endorseControls[name].removeAttribute('aria-invalid');
    }
    const first = endorsementFields.find((name) => errors[name]);
    if (this.endorseGeneral) this.endorseGeneral.textContent = general ?? (first ? this.t.fix : '');
    if (!focus) return;
    if (first) this.endorseControls[first].focus();
    else if (general) this.endorseGeneral?.focus();
  }
}

if (!customElements.get('tadamon-action')) customElements.define('tadamon-action', TadamonAction);
