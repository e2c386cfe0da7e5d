import type { Localized } from '../locales.ts';

export interface UrgentCallStrings {
  /** A small label above the subject. */
  label: string;
  /** The call to action that leads to the campaign. */
  action: string;
  /** Why the person receives this, in the footer. */
  reason: string;
}

export const urgentCallStrings: Localized<UrgentCallStrings> = {
  en: {
    label: 'Urgent call',
    action: 'Read the call and take action',
    reason: 'You receive this email because you subscribed to our urgent calls.',
  },
  fr: {
    label: 'Appel urgent',
    action: 'Lire l’appel et agir',
    reason: 'Vous recevez ce message parce que votre adresse est inscrite à nos appels urgents.',
  },
  es: {
    label: 'Llamamiento urgente',
    action: 'Lee el llamamiento y actúa',
    reason: 'Recibes este correo porque te suscribiste a nuestros llamamientos urgentes.',
  },
  ar: {
    label: 'نداء عاجل',
    action: 'الاطلاع على النداء والمشاركة',
    reason: 'تصلك هذه الرسالة لأن عنوانك مسجّل لتلقّي نداءاتنا العاجلة.',
  },
};
