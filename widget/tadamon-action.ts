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
 */

type Lang = 'en' | 'fr' | 'es' | 'ar';
type Field = 'name' | 'email' | 'country' | 'postcode' | 'comment';
const fields: Field[] = ['name', 'email', 'country', 'postcode', 'comment'];

interface Strings {
  loading: string;
  loadFailed: string;
  /** `{target}` is replaced by the campaign's target, isolated for bidirectional text. */
  letterTo: string;
  letter: string;
  count: (total: string, goal: string | null) => string;
  progress: string;
  heading: string;
  labels: Record<Field, string>;
  optional: string;
  chooseCountry: string;
  public: string;
  subscribe: string;
  submit: string;
  sending: string;
  errors: Record<Field, string>;
  fix: string;
  pendingTitle: string;
  pending: string;
  closed: string;
  tooMany: string;
  failed: string;
  offline: string;
  privacy: string;
  captcha: string;
  captchaUnavailable: string;
}

const strings: Record<Lang, Strings> = {
  en: {
    loading: 'Loading…',
    loadFailed: 'This campaign could not be loaded.',
    letterTo: 'Letter to {target}',
    letter: 'The letter',
    count: (total, goal) => (goal ? `Signatures: ${total} of ${goal}` : `Signatures: ${total}`),
    progress: 'Progress toward the goal',
    heading: 'Add your name',
    labels: { name: 'Full name', email: 'Email', country: 'Country', postcode: 'Postcode', comment: 'Comment' },
    optional: '(optional)',
    chooseCountry: 'Choose your country',
    public: 'Show my name publicly',
    subscribe: 'Keep me updated',
    submit: 'Sign',
    sending: 'Sending…',
    errors: {
      name: 'Please enter your name.',
      email: 'Please enter a valid email address.',
      country: 'Please choose your country from the list.',
      postcode: 'Please check your postcode (at most 20 characters).',
      comment: 'Please check your comment (at most 1,000 characters).',
    },
    fix: 'Please correct the fields marked below.',
    pendingTitle: 'Check your inbox',
    pending: 'We have sent you an email. Your signature counts once you confirm it with the link inside.',
    closed: 'This campaign is not accepting signatures.',
    tooMany: 'Too many attempts. Please wait a moment and try again.',
    failed: 'Something went wrong. Please try again.',
    offline: 'The server could not be reached. Check your connection and try again.',
    privacy: 'We never show your email address.',
    captcha: 'Please complete the anti-robot check first.',
    captchaUnavailable: 'The anti-robot check could not be loaded, so signing is not possible right now. Please try again later.',
  },
  fr: {
    loading: 'Chargement…',
    loadFailed: 'Impossible de charger cette campagne.',
    letterTo: 'Lettre à {target}',
    letter: 'La lettre',
    count: (total, goal) => (goal ? `Signatures\u202f: ${total} sur ${goal}` : `Signatures\u202f: ${total}`),
    progress: 'Progression vers l’objectif',
    heading: 'Ajoutez votre nom',
    labels: { name: 'Nom complet', email: 'Adresse e-mail', country: 'Pays', postcode: 'Code postal', comment: 'Commentaire' },
    optional: '(facultatif)',
    chooseCountry: 'Choisissez votre pays',
    public: 'Afficher mon nom publiquement',
    subscribe: 'Me tenir informé·e',
    submit: 'Signer',
    sending: 'Envoi…',
    errors: {
      name: 'Veuillez indiquer votre nom.',
      email: 'Veuillez indiquer une adresse e-mail valide.',
      country: 'Veuillez choisir votre pays dans la liste.',
      postcode: 'Veuillez vérifier votre code postal (20 caractères au plus).',
      comment: 'Veuillez vérifier votre commentaire (1 000 caractères au plus).',
    },
    fix: 'Veuillez corriger les champs signalés ci-dessous.',
    pendingTitle: 'Consultez votre boîte de réception',
    pending: 'Nous vous avons envoyé un e-mail. Votre signature sera comptée dès que vous l’aurez confirmée avec le lien qu’il contient.',
    closed: 'Cette campagne n’accepte pas de signatures.',
    tooMany: 'Trop de tentatives. Veuillez patienter un instant, puis réessayer.',
    failed: 'Une erreur est survenue. Veuillez réessayer.',
    offline: 'Le serveur est injoignable. Vérifiez votre connexion, puis réessayez.',
    privacy: 'Votre adresse e-mail n’est jamais affichée.',
    captcha: 'Veuillez d’abord effectuer la vérification anti-robot.',
    captchaUnavailable: 'La vérification anti-robot n’a pas pu être chargée\u202f: il est impossible de signer pour le moment. Veuillez réessayer plus tard.',
  },
  es: {
    loading: 'Cargando…',
    loadFailed: 'No se pudo cargar esta campaña.',
    letterTo: 'Carta a {target}',
    letter: 'La carta',
    count: (total, goal) => (goal ? `Firmas: ${total} de ${goal}` : `Firmas: ${total}`),
    progress: 'Progreso hacia el objetivo',
    heading: 'Añade tu nombre',
    labels: { name: 'Nombre completo', email: 'Correo electrónico', country: 'País', postcode: 'Código postal', comment: 'Comentario' },
    optional: '(opcional)',
    chooseCountry: 'Elige tu país',
    public: 'Mostrar mi nombre públicamente',
    subscribe: 'Quiero recibir novedades',
    submit: 'Firmar',
    sending: 'Enviando…',
    errors: {
      name: 'Escribe tu nombre.',
      email: 'Escribe una dirección de correo válida.',
      country: 'Elige tu país de la lista.',
      postcode: 'Revisa tu código postal (20 caracteres como máximo).',
      comment: 'Revisa tu comentario (1000 caracteres como máximo).',
    },
    fix: 'Corrige los campos señalados abajo.',
    pendingTitle: 'Revisa tu correo',
    pending: 'Te hemos enviado un correo. Tu firma contará cuando la confirmes con el enlace que contiene.',
    closed: 'Esta campaña no acepta firmas.',
    tooMany: 'Demasiados intentos. Espera un momento y vuelve a intentarlo.',
    failed: 'Algo salió mal. Vuelve a intentarlo.',
    offline: 'No se pudo contactar con el servidor. Comprueba tu conexión y vuelve a intentarlo.',
    privacy: 'Nunca mostramos tu dirección de correo.',
    captcha: 'Primero completa la verificación antirrobots.',
    captchaUnavailable: 'No se pudo cargar la verificación antirrobots, así que ahora no es posible firmar. Vuelve a intentarlo más tarde.',
  },
  ar: {
    loading: 'جارٍ التحميل…',
    loadFailed: 'تعذّر تحميل هذه الحملة.',
    letterTo: 'رسالة إلى: {target}',
    letter: 'الرسالة',
    count: (total, goal) => (goal ? `عدد التوقيعات: ${total} من أصل ${goal}` : `عدد التوقيعات: ${total}`),
    progress: 'التقدّم نحو الهدف',
    heading: 'أضِف اسمك',
    labels: { name: 'الاسم الكامل', email: 'البريد الإلكتروني', country: 'البلد', postcode: 'الرمز البريدي', comment: 'تعليق' },
    optional: '(اختياري)',
    chooseCountry: 'اختر بلدك',
    public: 'اعرض اسمي علنًا',
    subscribe: 'أبقوني على اطّلاع',
    submit: 'وقِّع',
    sending: 'جارٍ الإرسال…',
    errors: {
      name: 'يرجى إدخال اسمك.',
      email: 'يرجى إدخال عنوان بريد إلكتروني صالح.',
      country: 'يرجى اختيار بلدك من القائمة.',
      postcode: 'يرجى التحقق من الرمز البريدي (20 حرفًا على الأكثر).',
      comment: 'يرجى التحقق من تعليقك (1000 حرف على الأكثر).',
    },
    fix: 'يرجى تصحيح الحقول المشار إليها أدناه.',
    pendingTitle: 'تحقّق من بريدك الوارد',
    pending: 'أرسلنا إليك رسالة بالبريد الإلكتروني. يُحتسب توقيعك بعد تأكيده عبر الرابط الموجود فيها.',
    closed: 'هذه الحملة لا تقبل التوقيعات.',
    tooMany: 'محاولات كثيرة جدًا. يرجى الانتظار قليلًا ثم المحاولة مجددًا.',
    failed: 'حدث خطأ ما. يرجى المحاولة مجددًا.',
    offline: 'تعذّر الاتصال بالخادم. تحقّق من اتصالك وحاول مجددًا.',
    privacy: 'لا نعرض عنوان بريدك الإلكتروني أبدًا.',
    captcha: 'يرجى إكمال التحقق من أنك لست روبوتًا أولًا.',
    captchaUnavailable: 'تعذّر تحميل التحقق من أنك لست روبوتًا، لذا لا يمكن التوقيع الآن. يرجى المحاولة لاحقًا.',
  },
};

// ISO 3166-1 alpha-2, officially assigned codes; names come from Intl.DisplayNames in the widget's language.
const countryCodes = (
  'ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZ' +
  'ECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZ' +
  'LALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARE' +
  'RORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW'
).match(/../g) as string[];

const rtlLanguages = ['ar', 'he', 'fa', 'ur', 'ps', 'ckb', 'dv', 'yi'];

const css = `
:host{display:block;max-width:42rem;color:#1b1b1b;background:#fff;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",Tahoma,sans-serif;--accent:var(--tadamon-accent,#a1161f)}
:host([hidden]){display:none}
*{box-sizing:border-box}
.root{position:relative;padding:1.25rem;border:1px solid #c4c4c4;border-radius:.5rem;text-align:start}
h2{font-size:1.5rem;line-height:1.25;margin:0 0 .6rem}
h3{font-size:1.1rem;line-height:1.3;margin:1.25rem 0 .5rem}
p{margin:0 0 .75rem}
.letter-text{max-height:14rem;overflow:auto;padding:.75rem 1rem;background:#f4f4f4;border-radius:.3rem;white-space:pre-line}
.letter-text p:last-child{margin:0}
.count{font-weight:700;font-size:1.15rem;margin:1.1rem 0 .4rem}
.bar{height:.8rem;background:#e2e2e2;border-radius:1rem;overflow:hidden;border:1px solid #8a8a8a}
.fill{height:100%;width:0;background:var(--accent);transition:width .6s}
@media (prefers-reduced-motion:reduce){.fill{transition:none}}
form{margin-top:1.25rem}
.field{margin:0 0 .9rem}
label{display:block;font-weight:600;margin-bottom:.25rem}
.optional{font-weight:400;color:#555}
input:not([type=checkbox]),select,textarea{display:block;width:100%;font:inherit;color:inherit;background:#fff;padding:.5rem .6rem;border:1px solid #6f6f6f;border-radius:.3rem}
textarea{resize:vertical}
[aria-invalid=true]{border:2px solid #b00020!important}
.error{color:#b00020;margin:.3rem 0 0;font-size:.95rem}
.error:empty{display:none}
.check{display:flex;gap:.6rem;align-items:flex-start;margin:0 0 .6rem}
.check input{flex:none;width:1.15rem;height:1.15rem;margin:.2rem 0 0;accent-color:var(--accent)}
.check label{font-weight:400;margin:0}
button{font:inherit;font-weight:700;color:#fff;background:var(--accent);border:0;border-radius:.3rem;padding:.65rem 1.75rem;margin-top:.6rem;cursor:pointer}
button[disabled]{opacity:.75;cursor:progress}
:focus-visible{outline:3px solid #1a4fd6;outline-offset:2px}
.general{color:#b00020;font-weight:600}
.general:not(:empty){padding:.6rem .8rem;margin:0 0 1rem;border:2px solid #b00020;border-radius:.3rem;background:#fff5f6}
.pending{margin-top:1.25rem;padding:1rem 1.1rem;border:2px solid #1d6b35;border-radius:.4rem;background:#eef8f1}
.pending h3{margin-top:0}
.notice{font-weight:600}
.privacy{font-size:.9rem;color:#555;margin:.9rem 0 0}
.hp{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.root[dir=rtl] input[type=email]{text-align:right}
`;

interface Counts {
  signatures: number;
  offset: number;
  total?: number;
  goal: number | null;
}

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
  counts: Counts;
}

interface Problem {
  errors?: { path: string; message: string }[];
}

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
    if (base in strings) return base as Lang;
  }
  return 'en';
}

const directionOf = (locale: string) => (rtlLanguages.includes(locale.toLowerCase().split('-')[0] ?? '') ? 'rtl' : 'ltr');

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

class TadamonAction extends HTMLElement {
  static readonly observedAttributes = ['campaign', 'api', 'locale', 'captcha', 'captcha-site-key'];

  private readonly shadow: ShadowRoot;
  private scheduled = false;
  private controller: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The wait before the next poll, before jitter (nextPollDelay). */
  private pollDelay: number = polling.baseMs;
  /** The total last shown: an answer with the same total is no change. */
  private shownTotal: number | undefined;
  private polling = false;
  private observer: IntersectionObserver | undefined;
  private inView = true;
  private language: Lang = 'en';
  private t: Strings = strings.en;
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
  /** Set by the `captcha` attribute: signing then needs a token from the provider's challenge. */
  private captcha: string | null = null;
  private captchaBox: HTMLDivElement | undefined;
  private captchaWidget: { api: CaptchaApi; id: string } | undefined;
  private captchaToken = '';
  private captchaError: HTMLParagraphElement | undefined;

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
    this.captchaBox = this.captchaWidget = this.captchaError = undefined;
    this.captchaToken = '';
  }

  private async start(): Promise<void> {
    this.language = pickLang(this.getAttribute('locale'), document.documentElement.lang, ...navigator.languages);
    this.t = strings[this.language];
    this.api = (this.getAttribute('api') || scriptApi).replace(/\/+$/, '');
    this.slug = this.getAttribute('campaign') ?? '';
    this.captcha = this.getAttribute('captcha') || null;
    this.busy = false;
    const controller = (this.controller = new AbortController());

    this.box = h('div', { class: 'root', part: 'root', lang: this.language, dir: directionOf(this.language) });
    const status = h('p', { class: 'notice', role: 'status' }, this.t.loading);
    this.box.append(status);
    this.shadow.replaceChildren(...[...this.shadow.children].filter((c) => c.localName === 'style'), this.box);

    let campaign: Campaign;
    try {
      if (!this.slug) throw new Error('no campaign');
      const response = await fetch(`${this.api}/campaigns/${encodeURIComponent(this.slug)}?locale=${this.language}`, {
        headers: { accept: 'application/json' },
        signal: controller.signal,
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      campaign = (await response.json()) as Campaign;
    } catch {
      if (controller.signal.aborted) return;
      status.setAttribute('role', 'alert');
      status.textContent = this.t.loadFailed;
      return;
    }
    if (controller.signal.aborted) return;
    this.render(campaign);
    this.updateCounts(campaign.counts);
    this.poll();
    void this.mountCaptcha(controller.signal);
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

    this.countText = h('p', { class: 'count', 'aria-live': 'polite', 'aria-atomic': 'true' });
    this.fill = h('div', { class: 'fill' });
    this.bar = h('div', { class: 'bar', role: 'progressbar', 'aria-label': t.progress, 'aria-valuemin': '0' }, this.fill);

    this.box.replaceChildren(h('h2', content, campaign.title));
    if (campaign.summary) this.box.append(h('p', { class: 'summary', ...content }, campaign.summary));
    if (letter) this.box.append(letter);
    this.box.append(h('div', { class: 'counter' }, this.countText, this.bar));

    const now = Date.now();
    const open =
      campaign.status === 'open' &&
      !(campaign.opensAt && Date.parse(campaign.opensAt) > now) &&
      !(campaign.closesAt && Date.parse(campaign.closesAt) <= now);
    this.box.append(open ? this.renderForm() : h('p', { class: 'notice', role: 'status' }, t.closed));
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
    this.captchaError = this.captcha ? h('p', { class: 'error', id: 'tadamon-captcha-error', role: 'alert' }) : undefined;
    this.form = h(
      'form',
      { novalidate: true, 'aria-labelledby': 'form-heading' },
      h('h3', { id: 'form-heading' }, t.heading),
      this.general,
      field('name'),
      field('email'),
      field('country'),
      field('postcode', true),
      field('comment', true),
      check('public'),
      check('subscribe'),
      h('div', { class: 'hp', 'aria-hidden': 'true' }, h('label', { for: 'tadamon-website' }, 'Website'), this.honeypot),
      this.captchaError && h('div', { class: 'field' }, h('slot', { name: 'captcha' }), this.captchaError),
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

  private updateCounts(counts: Counts): void {
    if (!this.countText || !this.bar || !this.fill) return;
    const total = counts.total ?? counts.signatures + counts.offset;
    this.shownTotal = total;
    const number = new Intl.NumberFormat(this.language);
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
      locale: this.language,
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
}

if (!customElements.get('tadamon-action')) customElements.define('tadamon-action', TadamonAction);
