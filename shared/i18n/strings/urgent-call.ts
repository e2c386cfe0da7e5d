import type { Localized } from '../locales.ts';

export interface UrgentCallStrings {
  /** A small label above the subject. */
  label: string;
  /** The call to action that leads to the campaign. */
  action: string;
  /** Why the person receives this, in the footer. */
  reason: string;
  /** Before the subject of a test send, so nobody takes it for the real call. */
  testPrefix: string;
}

export const urgentCallStrings: Localized<UrgentCallStrings> = {
  en: {
    label: 'Urgent call',
    action: 'Read the call and take action',
    reason: 'You receive this email because you subscribed to our urgent calls.',
    testPrefix: '[TEST]',
  },
  fr: {
    label: 'Appel urgent',
    action: 'Lire l’appel et agir',
    reason: 'Vous recevez ce message parce que votre adresse est inscrite à nos appels urgents.',
    testPrefix: '[ESSAI]',
  },
  es: {
    label: 'Llamamiento urgente',
    action: 'Lee el llamamiento y actúa',
    reason: 'Recibes este correo porque te suscribiste a nuestros llamamientos urgentes.',
    testPrefix: '[PRUEBA]',
  },
  ar: {
    label: 'نداء عاجل',
    action: 'الاطلاع على النداء والمشاركة',
    reason: 'تصلك هذه الرسالة لأن عنوانك مسجّل لتلقّي نداءاتنا العاجلة.',
    testPrefix: '[تجربة]',
  },
};
