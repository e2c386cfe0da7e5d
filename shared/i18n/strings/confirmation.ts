import type { ConfirmationAction } from '#shared/store/token-store.ts';
import type { Localized } from '../locales.ts';
import type { Rich } from '#shared/mail/templates/layout.ts';

// The actions a token can stand for are the store's; every one of them needs wording here.
export type { ConfirmationAction } from '#shared/store/token-store.ts';

export interface ConfirmationWording {
  subject: string;
  /** What was asked, with the campaign's title when the action concerns one. */
  intro: (campaignTitle?: string) => Rich;
  /** What confirming does. */
  effect: string;
  button: string;
  /** What happens if the person ignores a message they did not ask for. */
  ignore: string;
}

export interface ConfirmationStrings {
  actions: Record<ConfirmationAction, ConfirmationWording>;
  /** How to confirm: the link opens a page with the button that records it. */
  howTo: string;
  validity: (days: number, formatted: string) => string;
}

// Typographic spaces for French punctuation: a no-break space before ":".
const nbsp = '\u00a0';

export const confirmationStrings: Localized<ConfirmationStrings> = {
  en: {
    actions: {
      signature: {
        subject: 'Please confirm your signature',
        intro: (title) => (title ? ['Thank you for signing ', { strong: title }, '.'] : 'Thank you for signing.'),
        effect: 'Your signature counts once you confirm it.',
        button: 'Confirm my signature',
        ignore: 'If you did not sign, ignore this message: nothing will be recorded.',
      },
      endorsement: {
        subject: 'Please confirm your organisation’s endorsement',
        intro: (title) =>
          title ? ['Thank you for endorsing ', { strong: title }, ' on behalf of your organisation.'] : 'Thank you for endorsing on behalf of your organisation.',
        effect: 'Once you confirm, our team reviews the endorsement before it is listed publicly.',
        button: 'Confirm the endorsement',
        ignore: 'If you did not make this request, ignore this message: nothing will be recorded.',
      },
      subscription: {
        subject: 'Please confirm your subscription',
        intro: () => 'You asked to receive our urgent calls for solidarity and our weekly digest, as you chose.',
        effect: 'We will only write to you once you confirm. You can unsubscribe at any time with the link at the bottom of every message.',
        button: 'Confirm my subscription',
        ignore: 'If you did not subscribe, ignore this message: you will not receive anything from us.',
      },
      erasure: {
        subject: 'Please confirm the erasure of your personal data',
        intro: () => 'We received a request to erase all personal data linked to this email address.',
        effect:
          'Once you confirm, your name, your email address and every other personal detail we hold are erased. This cannot be undone. Signature counts stay as they are, anonymously.',
        button: 'Erase my data',
        ignore: 'If you did not ask for this, ignore this message: nothing will be erased.',
      },
    },
    howTo: 'Open the link below, then confirm on the page that opens.',
    validity: (days, n) => (days === 1 ? 'The link works for 1 day.' : `The link works for ${n} days.`),
  },
  fr: {
    actions: {
      signature: {
        subject: 'Merci de confirmer votre signature',
        intro: (title) => (title ? ['Merci d’avoir signé ', { strong: title }, '.'] : 'Merci d’avoir signé.'),
        effect: 'Votre signature sera comptabilisée dès que vous l’aurez confirmée.',
        button: 'Confirmer ma signature',
        ignore: `Si vous n’avez pas signé, ignorez ce message${nbsp}: rien ne sera enregistré.`,
      },
      endorsement: {
        subject: 'Merci de confirmer le soutien de votre organisation',
        intro: (title) =>
          title
            ? ['Merci d’apporter le soutien de votre organisation à ', { strong: title }, '.']
            : 'Merci d’apporter le soutien de votre organisation.',
        effect: 'Une fois votre confirmation reçue, notre équipe examine ce soutien avant de le rendre public.',
        button: 'Confirmer le soutien',
        ignore: `Si vous n’êtes pas à l’origine de cette demande, ignorez ce message${nbsp}: rien ne sera enregistré.`,
      },
      subscription: {
        subject: 'Merci de confirmer votre abonnement',
        intro: () => 'Vous avez demandé à recevoir nos appels urgents à la solidarité et notre lettre hebdomadaire, selon vos choix.',
        effect:
          'Nous ne vous écrirons qu’après votre confirmation. Vous pourrez vous désabonner à tout moment grâce au lien présent en bas de chaque message.',
        button: 'Confirmer mon abonnement',
        ignore: `Si vous n’êtes pas à l’origine de cette demande, ignorez ce message${nbsp}: vous ne recevrez rien de notre part.`,
      },
      erasure: {
        subject: 'Merci de confirmer l’effacement de vos données personnelles',
        intro: () => 'Nous avons reçu une demande d’effacement de toutes les données personnelles liées à cette adresse e-mail.',
        effect:
          'Dès votre confirmation, votre nom, votre adresse e-mail et toutes les autres données personnelles que nous détenons seront effacés. Cette opération est irréversible. Les décomptes de signatures restent inchangés, de manière anonyme.',
        button: 'Effacer mes données',
        ignore: `Si vous n’êtes pas à l’origine de cette demande, ignorez ce message${nbsp}: rien ne sera effacé.`,
      },
    },
    howTo: 'Ouvrez le lien ci-dessous, puis confirmez sur la page qui s’affiche.',
    validity: (days, n) => (days <= 1 ? `Ce lien est valable ${n}${nbsp}jour.` : `Ce lien est valable ${n}${nbsp}jours.`),
  },
  es: {
    actions: {
      signature: {
        subject: 'Confirma tu firma',
        intro: (title) => (title ? ['Gracias por firmar ', { strong: title }, '.'] : 'Gracias por firmar.'),
        effect: 'Tu firma contará en cuanto la confirmes.',
        button: 'Confirmar mi firma',
        ignore: 'Si no firmaste, ignora este mensaje: no se registrará nada.',
      },
      endorsement: {
        subject: 'Confirma la adhesión de tu organización',
        intro: (title) =>
          title ? ['Gracias por sumar la adhesión de tu organización a ', { strong: title }, '.'] : 'Gracias por sumar la adhesión de tu organización.',
        effect: 'Cuando la confirmes, nuestro equipo la revisará antes de publicarla.',
        button: 'Confirmar la adhesión',
        ignore: 'Si no hiciste esta solicitud, ignora este mensaje: no se registrará nada.',
      },
      subscription: {
        subject: 'Confirma tu suscripción',
        intro: () => 'Pediste recibir nuestros llamamientos urgentes de solidaridad y nuestro boletín semanal, según lo que elegiste.',
        effect: 'Solo te escribiremos cuando lo confirmes. Podrás darte de baja en cualquier momento con el enlace que aparece al final de cada mensaje.',
        button: 'Confirmar mi suscripción',
        ignore: 'Si no hiciste esta solicitud, ignora este mensaje: no recibirás nada de nuestra parte.',
      },
      erasure: {
        subject: 'Confirma la eliminación de tus datos personales',
        intro: () => 'Hemos recibido una solicitud para eliminar todos los datos personales asociados a esta dirección de correo electrónico.',
        effect:
          'Cuando lo confirmes, se eliminarán tu nombre, tu dirección de correo y todos los demás datos personales que tenemos. Esta acción no se puede deshacer. Los recuentos de firmas se mantienen, de forma anónima.',
        button: 'Eliminar mis datos',
        ignore: 'Si no hiciste esta solicitud, ignora este mensaje: no se eliminará nada.',
      },
    },
    howTo: 'Abre el enlace de abajo y confirma en la página que se abrirá.',
    validity: (days, n) => (days === 1 ? 'El enlace es válido durante 1 día.' : `El enlace es válido durante ${n} días.`),
  },
  // Written so that it addresses men and women alike: no gendered imperatives or participles.
  ar: {
    actions: {
      signature: {
        subject: 'يُرجى تأكيد توقيعك',
        intro: (title) => (title ? ['شكرًا لتوقيعك على ', { strong: title }, '.'] : 'شكرًا لتوقيعك.'),
        effect: 'لن يُحتسب توقيعك إلا بعد تأكيده.',
        button: 'تأكيد توقيعي',
        ignore: 'إذا لم يصدر هذا التوقيع عنك، يُرجى تجاهل هذه الرسالة، فلن يُسجَّل أي شيء.',
      },
      endorsement: {
        subject: 'يُرجى تأكيد تأييد منظمتكم',
        intro: (title) => (title ? ['شكرًا لتأييدكم ', { strong: title }, ' باسم منظمتكم.'] : 'شكرًا لتأييدكم باسم منظمتكم.'),
        effect: 'بعد التأكيد، يراجع فريقنا هذا التأييد قبل نشره في قائمة المؤيدين.',
        button: 'تأكيد التأييد',
        ignore: 'إذا لم يصدر هذا الطلب عنكم، يُرجى تجاهل هذه الرسالة، فلن يُسجَّل أي شيء.',
      },
      subscription: {
        subject: 'يُرجى تأكيد اشتراكك',
        intro: () => 'وصلنا طلب بتلقّي نداءاتنا العاجلة للتضامن ونشرتنا الأسبوعية على هذا العنوان، وفق الخيارات المحددة.',
        effect: 'لن نراسلك إلا بعد التأكيد، ويمكنك إلغاء الاشتراك في أي وقت عبر الرابط الموجود أسفل كل رسالة.',
        button: 'تأكيد اشتراكي',
        ignore: 'إذا لم يصدر هذا الطلب عنك، يُرجى تجاهل هذه الرسالة، ولن تصلك منّا أي رسائل.',
      },
      erasure: {
        subject: 'يُرجى تأكيد محو بياناتك الشخصية',
        intro: () => 'تلقّينا طلبًا بمحو جميع البيانات الشخصية المرتبطة بعنوان البريد الإلكتروني هذا.',
        effect:
          'بعد التأكيد، سيُمحى اسمك وعنوان بريدك الإلكتروني وسائر بياناتك الشخصية المحفوظة لدينا. لا يمكن التراجع عن هذه العملية. أما أعداد التواقيع فتبقى كما هي، دون أي بيانات تكشف هويتك.',
        button: 'محو بياناتي',
        ignore: 'إذا لم يصدر هذا الطلب عنك، يُرجى تجاهل هذه الرسالة، فلن يُمحى أي شيء.',
      },
    },
    howTo: 'يُرجى فتح الرابط أدناه، ثم التأكيد في الصفحة التي ستظهر.',
    validity: (days, n) => {
      if (days === 1) return 'هذا الرابط صالح ليوم واحد.';
      if (days === 2) return 'هذا الرابط صالح ليومين.';
      const units = days % 100;
      if (units >= 3 && units <= 10) return `هذا الرابط صالح لمدة ${n} أيام.`;
      if (units >= 11) return `هذا الرابط صالح لمدة ${n} يومًا.`;
      return `هذا الرابط صالح لمدة ${n} يوم.`;
    },
  },
};
