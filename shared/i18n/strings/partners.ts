import type { Localized } from '../locales.ts';

/**
 * The opt-in a campaign offers for each partner organisation, where the campaign gives no text of its own for
 * the language. What the person ticks is stored word for word with their signature (the consent's `text`), so
 * these are the words of a consent: who will write to them, nothing more.
 */
export const partnerOptInDefaults: Localized<(name: string) => string> = {
  en: (name) => `Keep me informed by ${name}`,
  fr: (name) => `Je souhaite être tenu·e informé·e par ${name}`,
  es: (name) => `Quiero que ${name} me mantenga informado/a`,
  ar: (name) => `أوافق على أن تبقيني ${name} على اطلاع`,
};
