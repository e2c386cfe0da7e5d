import * as z from 'zod';
import { mailLocales } from '#shared/i18n/locales.ts';
import { countryCode, topic } from './fields.ts';

/**
 * What a subscriber may change from the preferences page: which mail, about which countries and topics, in
 * which language. Empty `countries`/`topics` mean everything, as when subscribing. Absent means unchanged.
 */
export const preferencesSchema = z.strictObject({
  urgent: z.boolean().optional(),
  digest: z.enum(['weekly', 'none']).optional(),
  countries: z.array(countryCode).max(60).optional(),
  topics: z.array(topic).max(20).optional(),
  // Only languages our mail is written in: a subscriber asking for another would still get English.
  locale: z.enum(mailLocales).optional(),
});
export type Preferences = z.infer<typeof preferencesSchema>;

/**
 * The page's form as preferences. A browser sends nothing for an unticked box, so the form always says
 * everything: absent boxes are "off", absent lists are "all". Countries come from ticked boxes plus a
 * free field of codes; duplicates go.
 */
export function preferencesFromForm(fields: URLSearchParams): unknown {
  const typed = (fields.get('otherCountries') ?? '')
    .split(/[\s,;]+/)
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean);
  return {
    urgent: fields.get('urgent') === 'on',
    digest: fields.get('digest') === 'on' ? 'weekly' : 'none',
    countries: [...new Set([...fields.getAll('country'), ...typed])],
    topics: [...new Set(fields.getAll('topic'))],
    ...(fields.has('locale') ? { locale: fields.get('locale') } : {}),
  };
}
