import type { Localized } from '../locales.ts';

/** Words the layout itself uses, whatever the message. */
export interface CommonStrings {
  /** Wraps a highlighted value (a campaign title) in the text part, where bold is not available. */
  quote: (value: string) => string;
  /** Joins a label to what it introduces: French puts a no-break space before the colon. */
  colon: string;
  /** The salutation; `name` is absent when the person gave none. */
  greeting: (name?: string) => string;
  /** Under a button, for clients that do not show it. */
  buttonFallback: string;
  unsubscribe: string;
  /** Before the bare unsubscribe link in the text part. */
  unsubscribeText: string;
  /** Bulk mail: the link to the preferences page, next to unsubscribe. */
  preferences: string;
  /** Before the bare preferences link in the text part. */
  preferencesText: string;
}

export const commonStrings: Localized<CommonStrings> = {
  en: {
    quote: (value) => `“${value}”`,
    colon: ':',
    greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
    buttonFallback: 'If the button does not work, copy this link into your browser:',
    unsubscribe: 'Unsubscribe',
    unsubscribeText: 'Unsubscribe in one click:',
    preferences: 'Change what you receive',
    preferencesText: 'Change what you receive:',
  },
  fr: {
    quote: (value) => `« ${value} »`,
    colon: '\u00a0:',
    greeting: (name) => (name ? `Bonjour ${name},` : 'Bonjour,'),
    buttonFallback: 'Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur :',
    unsubscribe: 'Se désabonner',
    unsubscribeText: 'Se désabonner en un clic :',
    preferences: 'Modifier ce que vous recevez',
    preferencesText: 'Modifier ce que vous recevez :',
  },
  es: {
    quote: (value) => `«${value}»`,
    colon: ':',
    greeting: (name) => (name ? `Hola, ${name}:` : 'Hola:'),
    buttonFallback: 'Si el botón no funciona, copia este enlace en tu navegador:',
    unsubscribe: 'Darse de baja',
    unsubscribeText: 'Darse de baja con un clic:',
    preferences: 'Cambiar lo que recibes',
    preferencesText: 'Cambiar lo que recibes:',
  },
  ar: {
    quote: (value) => `«${value}»`,
    colon: ':',
    greeting: (name) => (name ? `مرحبًا ${name}،` : 'مرحبًا،'),
    buttonFallback: 'إذا لم يعمل الزر، يُرجى نسخ هذا الرابط ولصقه في المتصفح:',
    unsubscribe: 'إلغاء الاشتراك',
    unsubscribeText: 'لإلغاء الاشتراك بنقرة واحدة:',
    preferences: 'غيّر ما تتلقاه',
    preferencesText: 'لتغيير ما تتلقاه:',
  },
};
