import type { Localized } from '../locales.ts';

/** Words every page's frame uses (shared/pages/layout.ts) and the share links (shared/pages/share-links.ts). */
export interface PageStrings {
  siteName: string;
  skipToContent: string;
  footer: string;
  shareHeading: string;
  copyLink: string;
  shareByEmail: string;
}

export const pageStrings: Localized<PageStrings> = {
  en: {
    siteName: 'Tadamon',
    skipToContent: 'Skip to content',
    footer: 'Tadamon: solidarity campaigns. Your address is used only for what you asked for.',
    shareHeading: 'Share',
    copyLink: 'Link to copy',
    shareByEmail: 'E-mail',
  },
  fr: {
    siteName: 'Tadamon',
    skipToContent: 'Aller au contenu',
    footer: 'Tadamon : campagnes de solidarité. Votre adresse ne sert qu’à ce que vous avez demandé.',
    shareHeading: 'Partager',
    copyLink: 'Lien à copier',
    shareByEmail: 'E-mail',
  },
  es: {
    siteName: 'Tadamon',
    skipToContent: 'Ir al contenido',
    footer: 'Tadamon: campañas de solidaridad. Tu dirección solo se usa para lo que pediste.',
    shareHeading: 'Compartir',
    copyLink: 'Enlace para copiar',
    shareByEmail: 'Correo electrónico',
  },
  ar: {
    siteName: 'تضامن',
    skipToContent: 'انتقل إلى المحتوى',
    footer: 'تضامن: حملات التضامن. لا يُستخدم عنوانك إلا لما طلبته.',
    shareHeading: 'شارك',
    copyLink: 'رابط للنسخ',
    shareByEmail: 'البريد الإلكتروني',
  },
};
