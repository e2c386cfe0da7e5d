import type { Localized } from '../locales.ts';

export interface DigestStrings {
  title: string;
  /** The subject, with the week as a date range ("16–22 November 2026"). */
  subject: (week: string) => string;
  intro: string;
  opened: string;
  progress: string;
  /** When there is neither a new campaign nor progress to report. */
  empty: string;
  action: string;
  /** Signatures so far; the numbers come formatted for the locale and raw, to pick the plural form. */
  count: (total: number, formattedTotal: string) => string;
  countOfGoal: (total: number, goal: number, formattedTotal: string, formattedGoal: string) => string;
  /** A statement's progress: the organisations that endorsed it. */
  endorsements: (total: number, formattedTotal: string) => string;
  reason: string;
}

const nbsp = '\u00a0';

export const digestStrings: Localized<DigestStrings> = {
  en: {
    title: 'Your weekly digest',
    subject: (week) => `Your weekly digest: ${week}`,
    intro: 'Here is the news from our campaigns this week.',
    opened: 'New this week',
    progress: 'Progress',
    empty: 'No new campaigns and no progress to report this week.',
    action: 'Read and take part',
    count: (total, n) => (total === 1 ? '1 signature' : `${n} signatures`),
    countOfGoal: (_total, goal, n, g) => `${n} of ${g} ${goal === 1 ? 'signature' : 'signatures'}`,
    endorsements: (total, n) => (total === 1 ? 'Endorsed by 1 organisation' : `Endorsed by ${n} organisations`),
    reason: 'You receive this email because you subscribed to our weekly digest.',
  },
  fr: {
    title: 'Votre lettre hebdomadaire',
    subject: (week) => `Votre lettre hebdomadaire${nbsp}: ${week}`,
    intro: 'Voici les nouvelles de nos campagnes cette semaine.',
    opened: 'Nouveau cette semaine',
    progress: 'Où en sont les campagnes',
    empty: 'Aucune nouvelle campagne ni aucune avancée à signaler cette semaine.',
    action: 'Lire et participer',
    count: (total, n) => (total <= 1 ? `${n}${nbsp}signature` : `${n}${nbsp}signatures`),
    countOfGoal: (total, _goal, n, g) => `${n}${nbsp}${total <= 1 ? 'signature' : 'signatures'} sur ${g}`,
    endorsements: (total, n) => (total <= 1 ? `Signée par ${n}${nbsp}organisation` : `Signée par ${n}${nbsp}organisations`),
    reason: 'Vous recevez ce message parce que votre adresse est inscrite à notre lettre hebdomadaire.',
  },
  es: {
    title: 'Tu resumen semanal',
    subject: (week) => `Tu resumen semanal: ${week}`,
    intro: 'Estas son las novedades de nuestras campañas esta semana.',
    opened: 'Nuevas esta semana',
    progress: 'Avances',
    empty: 'Esta semana no hay campañas nuevas ni avances que destacar.',
    action: 'Leer y participar',
    count: (total, n) => (total === 1 ? '1 firma' : `${n} firmas`),
    countOfGoal: (_total, goal, n, g) => `${n} de ${g} ${goal === 1 ? 'firma' : 'firmas'}`,
    endorsements: (total, n) => (total === 1 ? 'Suscrita por 1 organización' : `Suscrita por ${n} organizaciones`),
    reason: 'Recibes este correo porque te suscribiste a nuestro resumen semanal.',
  },
  // A label and a number avoid the many agreement forms an Arabic count noun takes.
  ar: {
    title: 'نشرتك الأسبوعية',
    subject: (week) => `نشرتك الأسبوعية: ${week}`,
    intro: 'إليك آخر مستجدات حملاتنا هذا الأسبوع.',
    opened: 'جديد هذا الأسبوع',
    progress: 'تقدّم الحملات',
    empty: 'لا حملات جديدة ولا تقدّم يُذكر هذا الأسبوع.',
    action: 'الاطلاع والمشاركة',
    count: (_total, n) => `عدد التواقيع: ${n}`,
    countOfGoal: (_total, _goal, n, g) => `عدد التواقيع: ${n} من أصل ${g}`,
    endorsements: (_total, n) => `عدد المنظمات الموقّعة: ${n}`,
    reason: 'تصلك هذه الرسالة لأن عنوانك مسجّل لتلقّي نشرتنا الأسبوعية.',
  },
};
