import type { Localized } from '../locales.ts';

/** The pictures of a campaign's numbers (shared/charts/*): titles and their text alternatives. */
export interface ChartStrings {
  overTime: string;
  topCountries: string;
  /** The line chart in words; numbers and dates come formatted. */
  overTimeSummary: (total: string, from: string, to: string, peak: string, peakAt: string) => string;
  noSignaturesYet: string;
  /** The bar list in words: "Morocco 1,200, France 300". */
  countriesSummary: (list: string) => string;
  period: string;
  signatures: string;
  country: string;
  otherCountries: string;
  /** What opens the table of every number under the pictures. */
  allNumbers: string;
}

export const chartStrings: Localized<ChartStrings> = {
  en: {
    overTime: 'Signatures over time',
    topCountries: 'Top countries',
    overTimeSummary: (total, from, to, peak, peakAt) => `${total} signatures from ${from} to ${to}; the most, ${peak}, on ${peakAt}.`,
    noSignaturesYet: 'No signatures yet.',
    countriesSummary: (list) => `Signatures by country: ${list}.`,
    period: 'Period',
    signatures: 'Signatures',
    country: 'Country',
    otherCountries: 'Other or unknown',
    allNumbers: 'Every number, day by day',
  },
  fr: {
    overTime: 'Signatures au fil du temps',
    topCountries: 'Principaux pays',
    overTimeSummary: (total, from, to, peak, peakAt) => `${total} signatures du ${from} au ${to} ; le plus, ${peak}, le ${peakAt}.`,
    noSignaturesYet: 'Pas encore de signature.',
    countriesSummary: (list) => `Signatures par pays : ${list}.`,
    period: 'Période',
    signatures: 'Signatures',
    country: 'Pays',
    otherCountries: 'Autre ou inconnu',
    allNumbers: 'Tous les chiffres, jour par jour',
  },
  es: {
    overTime: 'Firmas a lo largo del tiempo',
    topCountries: 'Países principales',
    overTimeSummary: (total, from, to, peak, peakAt) => `${total} firmas del ${from} al ${to}; el máximo, ${peak}, el ${peakAt}.`,
    noSignaturesYet: 'Todavía no hay firmas.',
    countriesSummary: (list) => `Firmas por país: ${list}.`,
    period: 'Periodo',
    signatures: 'Firmas',
    country: 'País',
    otherCountries: 'Otro o desconocido',
    allNumbers: 'Todas las cifras, día a día',
  },
  ar: {
    overTime: 'التوقيعات عبر الزمن',
    topCountries: 'أكثر البلدان توقيعًا',
    overTimeSummary: (total, from, to, peak, peakAt) => `${total} توقيعًا من ${from} إلى ${to}؛ وأعلى عدد ${peak} في ${peakAt}.`,
    noSignaturesYet: 'لا توجد توقيعات بعد.',
    countriesSummary: (list) => `التوقيعات حسب البلد: ${list}.`,
    period: 'الفترة',
    signatures: 'التوقيعات',
    country: 'البلد',
    otherCountries: 'بلد آخر أو غير معروف',
    allNumbers: 'جميع الأرقام يومًا بيوم',
  },
};
