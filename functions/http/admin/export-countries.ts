import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '#shared/domain/csv-safety.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';
import { getCounter } from '#shared/store/counter-store.ts';

const countryNames = new Intl.DisplayNames(['en'], { type: 'region' });

/**
 * The per-country summary: a row per country (at most the ~250 codes there are, so one small answer), with
 * the confirmed signatures, the partners' counts and their sum, largest first, then by code.
 */
export const handler = httpHandler(routes.adminExportCountries, async ({ path, query }) => {
  const campaign = await getCampaign(path.slug ?? '');
  const counter = await getCounter(campaign.slug);
  const codes = new Set([...Object.keys(counter.byCountry), ...Object.keys(counter.partnerByCountry)]);
  const rows = [...codes]
    .map((code) => {
      const signatures = counter.byCountry[code] ?? 0;
      const partners = counter.partnerByCountry[code] ?? 0;
      return { code, signatures, partners, total: signatures + partners };
    })
    .sort((a, b) => b.total - a.total || a.code.localeCompare(b.code));
  const csv = stringify(
    rows.map((r) => [r.code, nameOf(r.code), String(r.signatures), String(r.partners), String(r.total)].map(neutraliseFormula)),
    { header: true, columns: ['country', 'country_name', 'signatures', 'partners', 'total'], bom: query.bom },
  );
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${campaign.slug}-countries.csv"`,
      'cache-control': 'no-store',
    },
    body: csv,
  };
});

function nameOf(code: string): string {
  try {
    return countryNames.of(code) ?? code;
  } catch {
    return code;
  }
}
