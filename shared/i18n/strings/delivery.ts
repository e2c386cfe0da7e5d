import type { Localized } from '../locales.ts';

/** The document handed to a campaign's target (shared/delivery/delivery-document.ts). */
export interface DeliveryStrings {
  to: string;
  from: string;
  demands: string;
  letter: string;
  /** The total on the day; numbers and the date come formatted for the locale. */
  total: (total: string, date: string) => string;
  /** How the total is made up: online signatures and those counted on paper or by partners. */
  totalParts: (online: string, offline: string) => string;
  byCountry: string;
  country: string;
  signatures: string;
  organisations: string;
  publicSignatories: string;
  allSignatories: string;
  /** Under the heading: why a public list is shorter than the total. */
  publicNote: string;
  /** A later part of the list: numbers formatted. */
  continued: (first: string) => string;
  /** Where the list goes on in a further document. */
  continuesInNextPart: string;
  noNames: string;
  otherCountries: string;
}

export const deliveryStrings: Localized<DeliveryStrings> = {
  en: {
    to: 'To',
    from: 'From',
    demands: 'Our demands',
    letter: 'The letter',
    total: (total, date) => `${total} signatures on ${date}`,
    totalParts: (online, offline) => `${online} signed online and ${offline} on paper or through partner organisations.`,
    byCountry: 'Signatures by country',
    country: 'Country',
    signatures: 'Signatures',
    organisations: 'Endorsing organisations',
    publicSignatories: 'Signatories who chose to be named',
    allSignatories: 'Signatories',
    publicNote: 'Only those who agreed to show their name are listed; the total counts everyone.',
    continued: (first) => `Signatories, continued from number ${first}`,
    continuesInNextPart: 'The list continues in the next part of this document.',
    noNames: 'No names to list.',
    otherCountries: 'Other or unknown',
  },
  fr: {
    to: 'À',
    from: 'De la part de',
    demands: 'Nos revendications',
    letter: 'La lettre',
    total: (total, date) => `${total} signatures au ${date}`,
    totalParts: (online, offline) => `${online} en ligne et ${offline} sur papier ou par des organisations partenaires.`,
    byCountry: 'Signatures par pays',
    country: 'Pays',
    signatures: 'Signatures',
    organisations: 'Organisations signataires',
    publicSignatories: 'Signataires ayant accepté d’être nommés',
    allSignatories: 'Signataires',
    publicNote: 'Seules les personnes qui ont accepté d’afficher leur nom figurent ici ; le total compte tout le monde.',
    continued: (first) => `Signataires, suite à partir du numéro ${first}`,
    continuesInNextPart: 'La liste se poursuit dans la partie suivante de ce document.',
    noNames: 'Aucun nom à afficher.',
    otherCountries: 'Autre ou inconnu',
  },
  es: {
    to: 'Para',
    from: 'De parte de',
    demands: 'Nuestras demandas',
    letter: 'La carta',
    total: (total, date) => `${total} firmas a ${date}`,
    totalParts: (online, offline) => `${online} en línea y ${offline} en papel o a través de organizaciones aliadas.`,
    byCountry: 'Firmas por país',
    country: 'País',
    signatures: 'Firmas',
    organisations: 'Organizaciones adherentes',
    publicSignatories: 'Firmantes que aceptaron figurar con su nombre',
    allSignatories: 'Firmantes',
    publicNote: 'Solo figuran quienes aceptaron mostrar su nombre; el total cuenta a todas las personas.',
    continued: (first) => `Firmantes, continuación desde el número ${first}`,
    continuesInNextPart: 'La lista continúa en la siguiente parte de este documento.',
    noNames: 'No hay nombres que mostrar.',
    otherCountries: 'Otro o desconocido',
  },
  ar: {
    to: 'إلى',
    from: 'من',
    demands: 'مطالبنا',
    letter: 'الرسالة',
    total: (total, date) => `${total} توقيعًا حتى ${date}`,
    totalParts: (online, offline) => `${online} وقّعوا عبر الإنترنت و${offline} على الورق أو عبر منظمات شريكة.`,
    byCountry: 'التوقيعات حسب البلد',
    country: 'البلد',
    signatures: 'التوقيعات',
    organisations: 'المنظمات المؤيدة',
    publicSignatories: 'الموقّعون الذين قبلوا ذكر أسمائهم',
    allSignatories: 'الموقّعون',
    publicNote: 'لا تضم القائمة إلا من وافقوا على إظهار أسمائهم؛ أما العدد الإجمالي فيشمل الجميع.',
    continued: (first) => `الموقّعون، تتمة من الرقم ${first}`,
    continuesInNextPart: 'تتواصل القائمة في الجزء التالي من هذه الوثيقة.',
    noNames: 'لا توجد أسماء لعرضها.',
    otherCountries: 'بلد آخر أو غير معروف',
  },
};
