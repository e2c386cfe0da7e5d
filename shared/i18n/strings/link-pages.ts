import type { Localized } from '../locales.ts';

/**
 * The pages behind the links we mail: confirm (signature, endorsement, subscription, erasure), the thanks
 * after a click, unsubscribe, preferences, and the pages a broken link leads to. Counts are written as
 * "Label: 1,234" so no language needs plural rules here.
 */
export interface LinkPageStrings {
  // The confirm page, one title, introduction and button per kind of request.
  confirmSignatureTitle: string;
  confirmSignatureIntro: (campaign: string) => string;
  confirmSignatureButton: string;
  confirmEndorsementTitle: string;
  confirmEndorsementIntro: (campaign: string) => string;
  confirmEndorsementButton: string;
  confirmSubscriptionTitle: string;
  confirmSubscriptionIntro: string;
  confirmSubscriptionButton: string;
  confirmErasureTitle: string;
  confirmErasureIntro: string;
  confirmErasureButton: string;
  /** What an erasure takes away, one item a line, and what it leaves. */
  erasureErases: readonly string[];
  erasureKeeps: string;
  /** After the erasure: what stays. */
  erasedKeeps: string;
  notWhatYouAsked: string;
  alreadyConfirmedTitle: string;
  alreadyConfirmed: string;

  // Field labels of the confirm page's table.
  campaign: string;
  name: string;
  country: string;
  listedPublicly: string;
  comment: string;
  alsoSubscribe: string;
  /** Beside each partner organisation's opt-in the request ticked (its text follows). */
  partnerOptIn: string;
  organisation: string;
  website: string;
  urgentCalls: string;
  weeklyDigest: string;
  countries: string;
  topics: string;
  language: string;
  yes: string;
  no: string;
  all: string;

  // After the click.
  signedTitle: string;
  signed: (campaign: string) => string;
  signaturesSoFar: string;
  goal: string;
  countLag: string;
  readCampaign: string;
  subscribeOfferHeading: string;
  subscribeOffer: string;
  subscribeOfferButton: string;
  subscribedTitle: string;
  subscribed: string;
  endorsedTitle: string;
  endorsed: (campaign: string) => string;
  erasedTitle: string;
  erased: string;

  // Unsubscribe.
  unsubscribeTitle: string;
  unsubscribeIntro: string;
  unsubscribeButton: string;
  unsubscribedTitle: string;
  unsubscribed: string;
  changeWhatYouReceive: string;
  ratherChange: string;

  // Preferences.
  preferencesTitle: string;
  preferencesIntro: string;
  preferencesPending: string;
  preferencesUnsubscribed: string;
  urgentCallsChoice: string;
  weeklyDigestChoice: string;
  countriesLegend: string;
  topicsLegend: string;
  noneMeansAll: string;
  otherCountries: string;
  otherCountriesHint: string;
  languageLabel: string;
  saveButton: string;
  savedTitle: string;
  saved: string;
  unsubscribeInstead: string;

  // Links that cannot be used.
  linkProblemTitle: string;
  linkUnknown: string;
  linkExpired: string;
  linkGone: string;
  requestChanged: string;
  badForm: string;
  noSubscription: string;
}

export const linkPageStrings: Localized<LinkPageStrings> = {
  en: {
    confirmSignatureTitle: 'Confirm your signature',
    confirmSignatureIntro: (campaign) => `Pressing the button signs “${campaign}” with these details:`,
    confirmSignatureButton: 'Confirm my signature',
    confirmEndorsementTitle: 'Confirm the endorsement',
    confirmEndorsementIntro: (campaign) => `Pressing the button confirms that this organisation endorses “${campaign}”. An operator then reviews it before it is listed.`,
    confirmEndorsementButton: 'Confirm the endorsement',
    confirmSubscriptionTitle: 'Confirm your subscription',
    confirmSubscriptionIntro: 'Pressing the button subscribes this address with these choices:',
    confirmSubscriptionButton: 'Confirm my subscription',
    confirmErasureTitle: 'Erase your data',
    confirmErasureIntro: 'Pressing the button erases, for good, everything we hold about the address this link was sent to:',
    confirmErasureButton: 'Erase my data',
    erasureErases: [
      'your name, address, postcode and comment on every signature',
      'your subscription to urgent calls and the digest',
      'your details as the contact of an endorsing organisation',
      'the record of the messages we sent you',
    ],
    erasureKeeps: 'Counts keep their numbers, without anything personal. This cannot be undone.',
    erasedKeeps: 'Counts keep their numbers, without anything personal. If you sign or subscribe again, you start afresh.',
    notWhatYouAsked: 'If something here is not what you asked for, do not press the button: send the form again with the right details, then open this link (or any we sent you) again.',
    alreadyConfirmedTitle: 'Already confirmed',
    alreadyConfirmed: 'This was confirmed already; there is nothing more to do.',
    campaign: 'Campaign',
    name: 'Name',
    country: 'Country',
    listedPublicly: 'Name listed publicly',
    comment: 'Comment',
    alsoSubscribe: 'Also receive urgent calls and the weekly digest',
    partnerOptIn: 'You agree',
    organisation: 'Organisation',
    website: 'Website',
    urgentCalls: 'Urgent calls',
    weeklyDigest: 'Weekly digest',
    countries: 'Countries',
    topics: 'Topics',
    language: 'Language',
    yes: 'Yes',
    no: 'No',
    all: 'All',
    signedTitle: 'Thank you for signing',
    signed: (campaign) => `Your signature on “${campaign}” is confirmed.`,
    signaturesSoFar: 'Signatures so far',
    goal: 'Goal',
    countLag: 'Your signature appears in the count within a few seconds.',
    readCampaign: 'Go to the campaign page',
    subscribeOfferHeading: 'Stay in the loop',
    subscribeOffer: 'Receive urgent calls when someone needs support quickly, and a short digest once a week. You can change this or stop at any time.',
    subscribeOfferButton: 'Subscribe this address',
    subscribedTitle: 'You are subscribed',
    subscribed: 'You will receive urgent calls and the weekly digest. Every message has a link to change what you receive or to stop.',
    endorsedTitle: 'Thank you',
    endorsed: (campaign) => `The endorsement of “${campaign}” is confirmed. It is listed once an operator has reviewed it.`,
    erasedTitle: 'Your data is erased',
    erased: 'We have erased everything we held about this address:',
    unsubscribeTitle: 'Unsubscribe',
    unsubscribeIntro: 'Pressing the button stops every urgent call and digest to this address.',
    unsubscribeButton: 'Unsubscribe',
    unsubscribedTitle: 'You are unsubscribed',
    unsubscribed: 'You will receive no more urgent calls or digests from us.',
    changeWhatYouReceive: 'Change what you receive',
    ratherChange: 'Rather receive less, not nothing?',
    preferencesTitle: 'What you receive',
    preferencesIntro: 'Choose what we send to the address this link was sent to.',
    preferencesPending: 'This subscription is not confirmed yet: the link in our confirmation mail confirms it. Your choices here are kept.',
    preferencesUnsubscribed: 'This address is unsubscribed. To receive our mail again, subscribe again from one of our forms.',
    urgentCallsChoice: 'Urgent calls, when someone needs support quickly',
    weeklyDigestChoice: 'The weekly digest',
    countriesLegend: 'Countries',
    topicsLegend: 'Topics',
    noneMeansAll: 'None ticked means all of them.',
    otherCountries: 'Other countries (codes)',
    otherCountriesHint: 'Two-letter codes separated by commas, for example MA, TN.',
    languageLabel: 'Language of our mail',
    saveButton: 'Save my choices',
    savedTitle: 'Saved',
    saved: 'Your choices are saved. They apply to the next message we send.',
    unsubscribeInstead: 'Stop all mail instead',
    linkProblemTitle: 'This link cannot be used',
    linkUnknown: 'This link is not known. Check that it was copied whole, with nothing missing at the end.',
    linkExpired: 'This link has expired. Send the form again to receive a new one.',
    linkGone: 'What this link was for no longer exists. Send the form again to receive a new link.',
    requestChanged: 'A newer request from this address arrived after this page was opened. Open the link again to see what you would confirm.',
    badForm: 'Some of these choices could not be used. Go back, check them and try again.',
    noSubscription: 'There is no subscription for this link.',
  },
  fr: {
    confirmSignatureTitle: 'Confirmez votre signature',
    confirmSignatureIntro: (campaign) => `En appuyant sur le bouton, vous signez « ${campaign} » avec ces informations :`,
    confirmSignatureButton: 'Confirmer ma signature',
    confirmEndorsementTitle: 'Confirmez le soutien',
    confirmEndorsementIntro: (campaign) => `En appuyant sur le bouton, vous confirmez que cette organisation soutient « ${campaign} ». Une personne de l’équipe le vérifie ensuite avant de l’afficher.`,
    confirmEndorsementButton: 'Confirmer le soutien',
    confirmSubscriptionTitle: 'Confirmez votre abonnement',
    confirmSubscriptionIntro: 'En appuyant sur le bouton, vous abonnez cette adresse avec ces choix :',
    confirmSubscriptionButton: 'Confirmer mon abonnement',
    confirmErasureTitle: 'Effacer vos données',
    confirmErasureIntro: 'En appuyant sur le bouton, vous effacez définitivement tout ce que nous détenons sur l’adresse à laquelle ce lien a été envoyé :',
    confirmErasureButton: 'Effacer mes données',
    erasureErases: [
      'vos nom, adresse, code postal et commentaire sur chaque signature',
      'votre abonnement aux appels urgents et à la lettre hebdomadaire',
      'vos coordonnées de contact d’une organisation signataire',
      'la trace des messages que nous vous avons envoyés',
    ],
    erasureKeeps: 'Les compteurs gardent leurs nombres, sans rien de personnel. C’est irréversible.',
    erasedKeeps: 'Les compteurs gardent leurs nombres, sans rien de personnel. Si vous signez ou vous abonnez de nouveau, vous repartez de zéro.',
    notWhatYouAsked: 'Si quelque chose ici ne correspond pas à votre demande, n’appuyez pas sur le bouton : renvoyez le formulaire avec les bonnes informations, puis ouvrez de nouveau ce lien (ou n’importe lequel de ceux que nous vous avons envoyés).',
    alreadyConfirmedTitle: 'Déjà confirmé',
    alreadyConfirmed: 'C’était déjà confirmé ; il n’y a plus rien à faire.',
    campaign: 'Campagne',
    name: 'Nom',
    country: 'Pays',
    listedPublicly: 'Nom affiché publiquement',
    comment: 'Commentaire',
    alsoSubscribe: 'Recevoir aussi les appels urgents et la lettre hebdomadaire',
    partnerOptIn: 'Vous acceptez',
    organisation: 'Organisation',
    website: 'Site web',
    urgentCalls: 'Appels urgents',
    weeklyDigest: 'Lettre hebdomadaire',
    countries: 'Pays',
    topics: 'Thèmes',
    language: 'Langue',
    yes: 'Oui',
    no: 'Non',
    all: 'Tous',
    signedTitle: 'Merci d’avoir signé',
    signed: (campaign) => `Votre signature de « ${campaign} » est confirmée.`,
    signaturesSoFar: 'Signatures à ce jour',
    goal: 'Objectif',
    countLag: 'Votre signature apparaît dans le compteur d’ici quelques secondes.',
    readCampaign: 'Aller à la page de la campagne',
    subscribeOfferHeading: 'Restez informé·e',
    subscribeOffer: 'Recevez les appels urgents quand quelqu’un a besoin de soutien rapidement, et une courte lettre une fois par semaine. Vous pouvez modifier ce choix ou arrêter à tout moment.',
    subscribeOfferButton: 'Abonner cette adresse',
    subscribedTitle: 'Vous êtes abonné·e',
    subscribed: 'Vous recevrez les appels urgents et la lettre hebdomadaire. Chaque message contient un lien pour modifier ce que vous recevez ou pour arrêter.',
    endorsedTitle: 'Merci',
    endorsed: (campaign) => `Le soutien à « ${campaign} » est confirmé. Il sera affiché après vérification par l’équipe.`,
    erasedTitle: 'Vos données sont effacées',
    erased: 'Nous avons effacé tout ce que nous détenions sur cette adresse :',
    unsubscribeTitle: 'Se désabonner',
    unsubscribeIntro: 'En appuyant sur le bouton, vous arrêtez tous les appels urgents et toutes les lettres envoyés à cette adresse.',
    unsubscribeButton: 'Me désabonner',
    unsubscribedTitle: 'Vous êtes désabonné·e',
    unsubscribed: 'Vous ne recevrez plus d’appels urgents ni de lettres de notre part.',
    changeWhatYouReceive: 'Modifier ce que vous recevez',
    ratherChange: 'Recevoir moins plutôt que rien ?',
    preferencesTitle: 'Ce que vous recevez',
    preferencesIntro: 'Choisissez ce que nous envoyons à l’adresse à laquelle ce lien a été envoyé.',
    preferencesPending: 'Cet abonnement n’est pas encore confirmé : le lien de notre message de confirmation le confirme. Vos choix faits ici sont conservés.',
    preferencesUnsubscribed: 'Cette adresse est désabonnée. Pour recevoir de nouveau nos messages, abonnez-vous à nouveau depuis l’un de nos formulaires.',
    urgentCallsChoice: 'Les appels urgents, quand quelqu’un a besoin de soutien rapidement',
    weeklyDigestChoice: 'La lettre hebdomadaire',
    countriesLegend: 'Pays',
    topicsLegend: 'Thèmes',
    noneMeansAll: 'Si rien n’est coché, tous sont inclus.',
    otherCountries: 'Autres pays (codes)',
    otherCountriesHint: 'Codes à deux lettres séparés par des virgules, par exemple MA, TN.',
    languageLabel: 'Langue de nos messages',
    saveButton: 'Enregistrer mes choix',
    savedTitle: 'Enregistré',
    saved: 'Vos choix sont enregistrés. Ils s’appliquent dès notre prochain message.',
    unsubscribeInstead: 'Plutôt arrêter tous les messages',
    linkProblemTitle: 'Ce lien ne peut pas être utilisé',
    linkUnknown: 'Ce lien est inconnu. Vérifiez qu’il a été copié en entier, sans rien de manquant à la fin.',
    linkExpired: 'Ce lien a expiré. Renvoyez le formulaire pour en recevoir un nouveau.',
    linkGone: 'Ce à quoi servait ce lien n’existe plus. Renvoyez le formulaire pour recevoir un nouveau lien.',
    requestChanged: 'Une demande plus récente de cette adresse est arrivée après l’ouverture de cette page. Ouvrez de nouveau le lien pour voir ce que vous confirmeriez.',
    badForm: 'Certains de ces choix ne peuvent pas être utilisés. Revenez en arrière, vérifiez-les et réessayez.',
    noSubscription: 'Aucun abonnement ne correspond à ce lien.',
  },
  es: {
    confirmSignatureTitle: 'Confirma tu firma',
    confirmSignatureIntro: (campaign) => `Al pulsar el botón firmas «${campaign}» con estos datos:`,
    confirmSignatureButton: 'Confirmar mi firma',
    confirmEndorsementTitle: 'Confirma la adhesión',
    confirmEndorsementIntro: (campaign) => `Al pulsar el botón confirmas que esta organización se adhiere a «${campaign}». Después, una persona del equipo la revisa antes de publicarla.`,
    confirmEndorsementButton: 'Confirmar la adhesión',
    confirmSubscriptionTitle: 'Confirma tu suscripción',
    confirmSubscriptionIntro: 'Al pulsar el botón suscribes esta dirección con estas opciones:',
    confirmSubscriptionButton: 'Confirmar mi suscripción',
    confirmErasureTitle: 'Borrar tus datos',
    confirmErasureIntro: 'Al pulsar el botón borras para siempre todo lo que guardamos sobre la dirección a la que se envió este enlace:',
    confirmErasureButton: 'Borrar mis datos',
    erasureErases: [
      'tu nombre, dirección, código postal y comentario en cada firma',
      'tu suscripción a los llamamientos urgentes y al resumen semanal',
      'tus datos como contacto de una organización adherida',
      'el registro de los mensajes que te enviamos',
    ],
    erasureKeeps: 'Los contadores conservan sus cifras, sin nada personal. No se puede deshacer.',
    erasedKeeps: 'Los contadores conservan sus cifras, sin nada personal. Si vuelves a firmar o a suscribirte, empiezas de cero.',
    notWhatYouAsked: 'Si algo de esto no es lo que pediste, no pulses el botón: vuelve a enviar el formulario con los datos correctos y abre de nuevo este enlace (o cualquiera de los que te enviamos).',
    alreadyConfirmedTitle: 'Ya confirmado',
    alreadyConfirmed: 'Esto ya estaba confirmado; no hay nada más que hacer.',
    campaign: 'Campaña',
    name: 'Nombre',
    country: 'País',
    listedPublicly: 'Nombre visible públicamente',
    comment: 'Comentario',
    alsoSubscribe: 'Recibir también los llamamientos urgentes y el resumen semanal',
    partnerOptIn: 'Usted acepta',
    organisation: 'Organización',
    website: 'Sitio web',
    urgentCalls: 'Llamamientos urgentes',
    weeklyDigest: 'Resumen semanal',
    countries: 'Países',
    topics: 'Temas',
    language: 'Idioma',
    yes: 'Sí',
    no: 'No',
    all: 'Todos',
    signedTitle: 'Gracias por firmar',
    signed: (campaign) => `Tu firma de «${campaign}» está confirmada.`,
    signaturesSoFar: 'Firmas hasta ahora',
    goal: 'Objetivo',
    countLag: 'Tu firma aparece en el contador en unos segundos.',
    readCampaign: 'Ir a la página de la campaña',
    subscribeOfferHeading: 'Mantente al tanto',
    subscribeOffer: 'Recibe los llamamientos urgentes cuando alguien necesita apoyo con rapidez, y un breve resumen una vez por semana. Puedes cambiarlo o darte de baja cuando quieras.',
    subscribeOfferButton: 'Suscribir esta dirección',
    subscribedTitle: 'Te has suscrito',
    subscribed: 'Recibirás los llamamientos urgentes y el resumen semanal. Cada mensaje tiene un enlace para cambiar lo que recibes o darte de baja.',
    endorsedTitle: 'Gracias',
    endorsed: (campaign) => `La adhesión a «${campaign}» está confirmada. Se publicará cuando el equipo la haya revisado.`,
    erasedTitle: 'Tus datos están borrados',
    erased: 'Hemos borrado todo lo que guardábamos sobre esta dirección:',
    unsubscribeTitle: 'Darse de baja',
    unsubscribeIntro: 'Al pulsar el botón dejas de recibir en esta dirección todos los llamamientos urgentes y resúmenes.',
    unsubscribeButton: 'Darme de baja',
    unsubscribedTitle: 'Te has dado de baja',
    unsubscribed: 'No recibirás más llamamientos urgentes ni resúmenes de nuestra parte.',
    changeWhatYouReceive: 'Cambiar lo que recibes',
    ratherChange: '¿Prefieres recibir menos en lugar de nada?',
    preferencesTitle: 'Lo que recibes',
    preferencesIntro: 'Elige lo que enviamos a la dirección a la que se envió este enlace.',
    preferencesPending: 'Esta suscripción aún no está confirmada: el enlace de nuestro correo de confirmación la confirma. Las opciones que elijas aquí se guardan.',
    preferencesUnsubscribed: 'Esta dirección está dada de baja. Para volver a recibir nuestros correos, suscríbete de nuevo desde uno de nuestros formularios.',
    urgentCallsChoice: 'Llamamientos urgentes, cuando alguien necesita apoyo con rapidez',
    weeklyDigestChoice: 'El resumen semanal',
    countriesLegend: 'Países',
    topicsLegend: 'Temas',
    noneMeansAll: 'Si no marcas ninguno, se incluyen todos.',
    otherCountries: 'Otros países (códigos)',
    otherCountriesHint: 'Códigos de dos letras separados por comas, por ejemplo MA, TN.',
    languageLabel: 'Idioma de nuestros correos',
    saveButton: 'Guardar mis opciones',
    savedTitle: 'Guardado',
    saved: 'Tus opciones están guardadas. Se aplican a partir del próximo mensaje.',
    unsubscribeInstead: 'Prefiero dejar de recibir todo',
    linkProblemTitle: 'Este enlace no se puede usar',
    linkUnknown: 'Este enlace no es conocido. Comprueba que se copió entero, sin que falte nada al final.',
    linkExpired: 'Este enlace ha caducado. Vuelve a enviar el formulario para recibir uno nuevo.',
    linkGone: 'Aquello para lo que servía este enlace ya no existe. Vuelve a enviar el formulario para recibir un enlace nuevo.',
    requestChanged: 'Llegó una solicitud más reciente de esta dirección después de abrir esta página. Abre de nuevo el enlace para ver lo que confirmarías.',
    badForm: 'Algunas de estas opciones no se pueden usar. Vuelve atrás, revísalas e inténtalo de nuevo.',
    noSubscription: 'No hay ninguna suscripción para este enlace.',
  },
  ar: {
    confirmSignatureTitle: 'أكِّد توقيعك',
    confirmSignatureIntro: (campaign) => `بالضغط على الزر توقّع على «${campaign}» بهذه البيانات:`,
    confirmSignatureButton: 'تأكيد توقيعي',
    confirmEndorsementTitle: 'أكِّد التأييد',
    confirmEndorsementIntro: (campaign) => `بالضغط على الزر تؤكد أن هذه المنظمة تؤيد «${campaign}». يراجعه بعد ذلك أحد أعضاء الفريق قبل نشره.`,
    confirmEndorsementButton: 'تأكيد التأييد',
    confirmSubscriptionTitle: 'أكِّد اشتراكك',
    confirmSubscriptionIntro: 'بالضغط على الزر تشترك بهذا العنوان وفق هذه الاختيارات:',
    confirmSubscriptionButton: 'تأكيد اشتراكي',
    confirmErasureTitle: 'محو بياناتك',
    confirmErasureIntro: 'بالضغط على الزر تمحو نهائيًا كل ما نحتفظ به عن العنوان الذي أُرسل إليه هذا الرابط:',
    confirmErasureButton: 'محو بياناتي',
    erasureErases: [
      'اسمك وعنوانك ورمزك البريدي وتعليقك في كل توقيع',
      'اشتراكك في النداءات العاجلة والنشرة الأسبوعية',
      'بياناتك بصفتك جهة اتصال لمنظمة مؤيدة',
      'سجل الرسائل التي أرسلناها إليك',
    ],
    erasureKeeps: 'تحتفظ العدادات بأرقامها دون أي معلومة شخصية. لا يمكن التراجع عن ذلك.',
    erasedKeeps: 'تحتفظ العدادات بأرقامها دون أي معلومة شخصية. إذا وقّعت أو اشتركت من جديد فستبدأ من الصفر.',
    notWhatYouAsked: 'إذا كان هنا ما لا يطابق طلبك فلا تضغط على الزر: أرسل النموذج مجددًا بالبيانات الصحيحة، ثم افتح هذا الرابط (أو أي رابط أرسلناه إليك) من جديد.',
    alreadyConfirmedTitle: 'تم التأكيد من قبل',
    alreadyConfirmed: 'تم تأكيد هذا من قبل؛ لا يلزم فعل أي شيء آخر.',
    campaign: 'الحملة',
    name: 'الاسم',
    country: 'البلد',
    listedPublicly: 'إظهار الاسم للعموم',
    comment: 'التعليق',
    alsoSubscribe: 'تلقي النداءات العاجلة والنشرة الأسبوعية أيضًا',
    partnerOptIn: 'توافق على',
    organisation: 'المنظمة',
    website: 'الموقع الإلكتروني',
    urgentCalls: 'النداءات العاجلة',
    weeklyDigest: 'النشرة الأسبوعية',
    countries: 'البلدان',
    topics: 'المواضيع',
    language: 'اللغة',
    yes: 'نعم',
    no: 'لا',
    all: 'الكل',
    signedTitle: 'شكرًا على توقيعك',
    signed: (campaign) => `تم تأكيد توقيعك على «${campaign}».`,
    signaturesSoFar: 'التوقيعات حتى الآن',
    goal: 'الهدف',
    countLag: 'يظهر توقيعك في العداد خلال ثوانٍ.',
    readCampaign: 'انتقل إلى صفحة الحملة',
    subscribeOfferHeading: 'ابقَ على اطلاع',
    subscribeOffer: 'تلقَّ النداءات العاجلة حين يحتاج أحدٌ إلى الدعم بسرعة، ونشرة قصيرة مرة في الأسبوع. يمكنك تغيير ذلك أو التوقف في أي وقت.',
    subscribeOfferButton: 'اشترك بهذا العنوان',
    subscribedTitle: 'تم اشتراكك',
    subscribed: 'ستتلقى النداءات العاجلة والنشرة الأسبوعية. في كل رسالة رابط لتغيير ما تتلقاه أو للتوقف.',
    endorsedTitle: 'شكرًا لكم',
    endorsed: (campaign) => `تم تأكيد تأييد «${campaign}». سيُنشر بعد أن يراجعه الفريق.`,
    erasedTitle: 'تم محو بياناتك',
    erased: 'محونا كل ما كنا نحتفظ به عن هذا العنوان:',
    unsubscribeTitle: 'إلغاء الاشتراك',
    unsubscribeIntro: 'بالضغط على الزر يتوقف إرسال كل النداءات العاجلة والنشرات إلى هذا العنوان.',
    unsubscribeButton: 'إلغاء اشتراكي',
    unsubscribedTitle: 'تم إلغاء اشتراكك',
    unsubscribed: 'لن تتلقى منا بعد الآن نداءات عاجلة ولا نشرات.',
    changeWhatYouReceive: 'غيّر ما تتلقاه',
    ratherChange: 'هل تفضّل أن تتلقى أقل بدلًا من لا شيء؟',
    preferencesTitle: 'ما تتلقاه',
    preferencesIntro: 'اختر ما نرسله إلى العنوان الذي أُرسل إليه هذا الرابط.',
    preferencesPending: 'هذا الاشتراك لم يُؤكَّد بعد: الرابط في رسالة التأكيد التي أرسلناها يؤكده. نحتفظ باختياراتك هنا.',
    preferencesUnsubscribed: 'اشتراك هذا العنوان ملغى. لتتلقى رسائلنا من جديد، اشترك مرة أخرى من أحد نماذجنا.',
    urgentCallsChoice: 'النداءات العاجلة، حين يحتاج أحدٌ إلى الدعم بسرعة',
    weeklyDigestChoice: 'النشرة الأسبوعية',
    countriesLegend: 'البلدان',
    topicsLegend: 'المواضيع',
    noneMeansAll: 'إذا لم تحدد شيئًا فالمقصود الكل.',
    otherCountries: 'بلدان أخرى (رموز)',
    otherCountriesHint: 'رموز من حرفين تفصل بينها فواصل، مثل MA, TN.',
    languageLabel: 'لغة رسائلنا',
    saveButton: 'حفظ اختياراتي',
    savedTitle: 'تم الحفظ',
    saved: 'تم حفظ اختياراتك، وتسري ابتداءً من رسالتنا القادمة.',
    unsubscribeInstead: 'أفضّل إيقاف كل الرسائل',
    linkProblemTitle: 'لا يمكن استخدام هذا الرابط',
    linkUnknown: 'هذا الرابط غير معروف. تحقق من أنه نُسخ كاملًا دون نقص في آخره.',
    linkExpired: 'انتهت صلاحية هذا الرابط. أرسل النموذج مجددًا لتتلقى رابطًا جديدًا.',
    linkGone: 'ما كان هذا الرابط من أجله لم يعد موجودًا. أرسل النموذج مجددًا لتتلقى رابطًا جديدًا.',
    requestChanged: 'وصل طلب أحدث من هذا العنوان بعد فتح هذه الصفحة. افتح الرابط مجددًا لترى ما ستؤكده.',
    badForm: 'تعذّر استخدام بعض هذه الاختيارات. ارجع وتحقق منها ثم أعد المحاولة.',
    noSubscription: 'لا يوجد اشتراك مرتبط بهذا الرابط.',
  },
};
