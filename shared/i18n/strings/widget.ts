import type { Localized } from '../locales.ts';

/**
 * Everything the embeddable widget (widget/tadamon-action.ts) says. It is bundled into the widget's script,
 * so it holds plain strings and small functions only, and imports nothing but types.
 */

/** The fields of the form a person signs with. */
export type SignatureField = 'name' | 'email' | 'country' | 'postcode' | 'comment';

/** The fields of the form an organisation endorses a statement with. */
export type EndorsementField = 'organisation' | 'orgCountry' | 'website' | 'contactName' | 'contactEmail' | 'consent';

export interface WidgetStrings {
  loading: string;
  loadFailed: string;
  /** The campaign does not exist (or is not published): a wrong `campaign` attribute, most likely. */
  notFound: string;
  /** `{target}` is replaced by the campaign's target, isolated for bidirectional text. */
  letterTo: string;
  letter: string;
  count: (total: string, goal: string | null) => string;
  progress: string;
  /** The number of organisations that endorse a statement. */
  endorsementsCount: (total: string) => string;
  /** Above the organisations the widget names. */
  endorsedBy: string;
  /** The link to the campaign's page, where every organisation is listed. */
  allOrganisations: string;
  heading: string;
  labels: Record<SignatureField, string>;
  optional: string;
  chooseCountry: string;
  public: string;
  subscribe: string;
  submit: string;
  sending: string;
  errors: Record<SignatureField, string>;
  fix: string;
  pendingTitle: string;
  pending: string;
  closed: string;
  tooMany: string;
  failed: string;
  offline: string;
  privacy: string;
  /** Above the partner organisations' opt-in boxes, and what each box means. */
  partners: string;
  partnersHint: string;
  captcha: string;
  captchaUnavailable: string;
  /** Where a statement takes both: the disclosure that opens the organisations' form. */
  endorseOpen: string;
  endorseHeading: string;
  endorseLabels: Record<EndorsementField, string>;
  endorseHints: { website: string; contactName: string; contactEmail: string };
  endorseErrors: Record<EndorsementField, string>;
  endorseSubmit: string;
  endorsePendingTitle: string;
  endorsePending: string;
  endorseClosed: string;
}

export const widgetStrings: Localized<WidgetStrings> = {
  en: {
    loading: 'Loading…',
    loadFailed: 'This campaign could not be loaded.',
    notFound: 'This campaign could not be found.',
    letterTo: 'Letter to {target}',
    letter: 'The letter',
    count: (total, goal) => (goal ? `Signatures: ${total} of ${goal}` : `Signatures: ${total}`),
    progress: 'Progress toward the goal',
    endorsementsCount: (total) => `Endorsing organisations: ${total}`,
    endorsedBy: 'Endorsed by',
    allOrganisations: 'See all endorsing organisations',
    heading: 'Add your name',
    labels: { name: 'Full name', email: 'Email', country: 'Country', postcode: 'Postcode', comment: 'Comment' },
    optional: '(optional)',
    chooseCountry: 'Choose your country',
    public: 'Show my name publicly',
    subscribe: 'Keep me updated',
    submit: 'Sign',
    sending: 'Sending…',
    errors: {
      name: 'Please enter your name.',
      email: 'Please enter a valid email address.',
      country: 'Please choose your country from the list.',
      postcode: 'Please check your postcode (at most 20 characters).',
      comment: 'Please check your comment (at most 1,000 characters).',
    },
    fix: 'Please correct the fields marked below.',
    pendingTitle: 'Check your inbox',
    pending: 'We have sent you an email. Your signature counts once you confirm it with the link inside.',
    closed: 'This campaign is not accepting signatures.',
    tooMany: 'Too many attempts. Please wait a moment and try again.',
    failed: 'Something went wrong. Please try again.',
    offline: 'The server could not be reached. Check your connection and try again.',
    privacy: 'We never show your email address.',
    partners: 'The organisations behind this campaign',
    partnersHint: 'Tick an organisation only if you want it to write to you. Unticked, it gets nothing of yours.',
    captcha: 'Please complete the anti-robot check first.',
    captchaUnavailable: 'The anti-robot check could not be loaded, so signing is not possible right now. Please try again later.',
    endorseOpen: 'Endorse on behalf of an organisation',
    endorseHeading: 'Endorse as an organisation',
    endorseLabels: {
      organisation: 'Organisation',
      orgCountry: 'Country of the organisation',
      website: 'Website',
      contactName: 'Contact name',
      contactEmail: 'Contact email',
      consent: 'I may endorse this statement on behalf of this organisation, and agree that its name, country and website are published with it.',
    },
    endorseHints: {
      website: 'An address starting with https://',
      contactName: 'Who we may ask about this endorsement. Only the campaign team sees it.',
      contactEmail: 'We write to this address to confirm the endorsement. It is never published.',
    },
    endorseErrors: {
      organisation: 'Please enter the name of the organisation.',
      orgCountry: 'Please choose the country of the organisation from the list.',
      website: 'Please enter an address starting with https://.',
      contactName: 'Please enter the name on one line, in at most 200 characters.',
      contactEmail: 'Please enter a valid email address.',
      consent: 'Please confirm that you may endorse on behalf of this organisation.',
    },
    endorseSubmit: 'Endorse',
    endorsePendingTitle: 'Check the contact inbox',
    endorsePending: 'We have sent an email to the contact address. Once it is confirmed and the campaign team has checked it, the organisation is listed.',
    endorseClosed: 'This statement is not accepting endorsements.',
  },
  fr: {
    loading: 'Chargement…',
    loadFailed: 'Impossible de charger cette campagne.',
    notFound: 'Cette campagne est introuvable.',
    letterTo: 'Lettre à {target}',
    letter: 'La lettre',
    count: (total, goal) => (goal ? `Signatures\u202f: ${total} sur ${goal}` : `Signatures\u202f: ${total}`),
    progress: 'Progression vers l’objectif',
    endorsementsCount: (total) => `Organisations signataires\u202f: ${total}`,
    endorsedBy: 'Soutenue par',
    allOrganisations: 'Voir toutes les organisations signataires',
    heading: 'Ajoutez votre nom',
    labels: { name: 'Nom complet', email: 'Adresse e-mail', country: 'Pays', postcode: 'Code postal', comment: 'Commentaire' },
    optional: '(facultatif)',
    chooseCountry: 'Choisissez votre pays',
    public: 'Afficher mon nom publiquement',
    subscribe: 'Me tenir informé·e',
    submit: 'Signer',
    sending: 'Envoi…',
    errors: {
      name: 'Veuillez indiquer votre nom.',
      email: 'Veuillez indiquer une adresse e-mail valide.',
      country: 'Veuillez choisir votre pays dans la liste.',
      postcode: 'Veuillez vérifier votre code postal (20 caractères au plus).',
      comment: 'Veuillez vérifier votre commentaire (1 000 caractères au plus).',
    },
    fix: 'Veuillez corriger les champs signalés ci-dessous.',
    pendingTitle: 'Consultez votre boîte de réception',
    pending: 'Nous vous avons envoyé un e-mail. Votre signature sera comptée dès que vous l’aurez confirmée avec le lien qu’il contient.',
    closed: 'Cette campagne n’accepte pas de signatures.',
    tooMany: 'Trop de tentatives. Veuillez patienter un instant, puis réessayer.',
    failed: 'Une erreur est survenue. Veuillez réessayer.',
    offline: 'Le serveur est injoignable. Vérifiez votre connexion, puis réessayez.',
    privacy: 'Votre adresse e-mail n’est jamais affichée.',
    partners: 'Les organisations qui portent cette campagne',
    partnersHint: 'Cochez une organisation seulement si vous voulez qu’elle vous écrive. Sans case cochée, elle ne reçoit rien de vous.',
    captcha: 'Veuillez d’abord effectuer la vérification anti-robot.',
    captchaUnavailable: 'La vérification anti-robot n’a pas pu être chargée\u202f: il est impossible de signer pour le moment. Veuillez réessayer plus tard.',
    endorseOpen: 'Signer au nom d’une organisation',
    endorseHeading: 'Signer en tant qu’organisation',
    endorseLabels: {
      organisation: 'Organisation',
      orgCountry: 'Pays de l’organisation',
      website: 'Site web',
      contactName: 'Nom de la personne de contact',
      contactEmail: 'Adresse e-mail de contact',
      consent: 'Je suis habilité·e à soutenir cette déclaration au nom de cette organisation et j’accepte que son nom, son pays et son site web soient publiés avec elle.',
    },
    endorseHints: {
      website: 'Une adresse commençant par https://',
      contactName: 'La personne à qui poser nos questions sur ce soutien. Seule l’équipe de la campagne le voit.',
      contactEmail: 'Nous écrivons à cette adresse pour confirmer le soutien. Elle n’est jamais publiée.',
    },
    endorseErrors: {
      organisation: 'Veuillez indiquer le nom de l’organisation.',
      orgCountry: 'Veuillez choisir le pays de l’organisation dans la liste.',
      website: 'Veuillez indiquer une adresse commençant par https://.',
      contactName: 'Veuillez indiquer le nom sur une seule ligne, en 200 caractères au plus.',
      contactEmail: 'Veuillez indiquer une adresse e-mail valide.',
      consent: 'Veuillez confirmer que vous pouvez signer au nom de cette organisation.',
    },
    endorseSubmit: 'Signer pour l’organisation',
    endorsePendingTitle: 'Consultez la boîte de réception du contact',
    endorsePending: 'Nous avons envoyé un e-mail à l’adresse de contact. Une fois le soutien confirmé et vérifié par l’équipe de la campagne, l’organisation apparaîtra dans la liste.',
    endorseClosed: 'Cette déclaration n’accepte pas de nouveaux soutiens.',
  },
  es: {
    loading: 'Cargando…',
    loadFailed: 'No se pudo cargar esta campaña.',
    notFound: 'No se encontró esta campaña.',
    letterTo: 'Carta a {target}',
    letter: 'La carta',
    count: (total, goal) => (goal ? `Firmas: ${total} de ${goal}` : `Firmas: ${total}`),
    progress: 'Progreso hacia el objetivo',
    endorsementsCount: (total) => `Organizaciones firmantes: ${total}`,
    endorsedBy: 'La respaldan',
    allOrganisations: 'Ver todas las organizaciones firmantes',
    heading: 'Añade tu nombre',
    labels: { name: 'Nombre completo', email: 'Correo electrónico', country: 'País', postcode: 'Código postal', comment: 'Comentario' },
    optional: '(opcional)',
    chooseCountry: 'Elige tu país',
    public: 'Mostrar mi nombre públicamente',
    subscribe: 'Quiero recibir novedades',
    submit: 'Firmar',
    sending: 'Enviando…',
    errors: {
      name: 'Escribe tu nombre.',
      email: 'Escribe una dirección de correo válida.',
      country: 'Elige tu país de la lista.',
      postcode: 'Revisa tu código postal (20 caracteres como máximo).',
      comment: 'Revisa tu comentario (1000 caracteres como máximo).',
    },
    fix: 'Corrige los campos señalados abajo.',
    pendingTitle: 'Revisa tu correo',
    pending: 'Te hemos enviado un correo. Tu firma contará cuando la confirmes con el enlace que contiene.',
    closed: 'Esta campaña no acepta firmas.',
    tooMany: 'Demasiados intentos. Espera un momento y vuelve a intentarlo.',
    failed: 'Algo salió mal. Vuelve a intentarlo.',
    offline: 'No se pudo contactar con el servidor. Comprueba tu conexión y vuelve a intentarlo.',
    privacy: 'Nunca mostramos tu dirección de correo.',
    partners: 'Las organizaciones que impulsan esta campaña',
    partnersHint: 'Marca una organización solo si quieres que te escriba. Sin marcar, no recibe nada tuyo.',
    captcha: 'Primero completa la verificación antirrobots.',
    captchaUnavailable: 'No se pudo cargar la verificación antirrobots, así que ahora no es posible firmar. Vuelve a intentarlo más tarde.',
    endorseOpen: 'Firmar en nombre de una organización',
    endorseHeading: 'Firmar como organización',
    endorseLabels: {
      organisation: 'Organización',
      orgCountry: 'País de la organización',
      website: 'Sitio web',
      contactName: 'Nombre de la persona de contacto',
      contactEmail: 'Correo de contacto',
      consent: 'Puedo respaldar esta declaración en nombre de esta organización y acepto que su nombre, su país y su sitio web se publiquen con ella.',
    },
    endorseHints: {
      website: 'Una dirección que empiece por https://',
      contactName: 'A quién podemos preguntar por este respaldo. Solo lo ve el equipo de la campaña.',
      contactEmail: 'Escribimos a esta dirección para confirmar el respaldo. Nunca se publica.',
    },
    endorseErrors: {
      organisation: 'Escribe el nombre de la organización.',
      orgCountry: 'Elige de la lista el país de la organización.',
      website: 'Escribe una dirección que empiece por https://.',
      contactName: 'Escribe el nombre en una sola línea, con 200 caracteres como máximo.',
      contactEmail: 'Escribe una dirección de correo válida.',
      consent: 'Confirma que puedes firmar en nombre de esta organización.',
    },
    endorseSubmit: 'Firmar por la organización',
    endorsePendingTitle: 'Revisa el correo de contacto',
    endorsePending: 'Hemos enviado un correo a la dirección de contacto. Cuando se confirme y el equipo de la campaña lo haya revisado, la organización aparecerá en la lista.',
    endorseClosed: 'Esta declaración no acepta nuevos respaldos.',
  },
  ar: {
    loading: 'جارٍ التحميل…',
    loadFailed: 'تعذّر تحميل هذه الحملة.',
    notFound: 'تعذّر العثور على هذه الحملة.',
    letterTo: 'رسالة إلى: {target}',
    letter: 'الرسالة',
    count: (total, goal) => (goal ? `عدد التوقيعات: ${total} من أصل ${goal}` : `عدد التوقيعات: ${total}`),
    progress: 'التقدّم نحو الهدف',
    endorsementsCount: (total) => `عدد المنظمات الموقِّعة: ${total}`,
    endorsedBy: 'وقّعت عليه',
    allOrganisations: 'عرض جميع المنظمات الموقِّعة',
    heading: 'أضِف اسمك',
    labels: { name: 'الاسم الكامل', email: 'البريد الإلكتروني', country: 'البلد', postcode: 'الرمز البريدي', comment: 'تعليق' },
    optional: '(اختياري)',
    chooseCountry: 'اختر بلدك',
    public: 'اعرض اسمي علنًا',
    subscribe: 'أبقوني على اطّلاع',
    submit: 'وقِّع',
    sending: 'جارٍ الإرسال…',
    errors: {
      name: 'يرجى إدخال اسمك.',
      email: 'يرجى إدخال عنوان بريد إلكتروني صالح.',
      country: 'يرجى اختيار بلدك من القائمة.',
      postcode: 'يرجى التحقق من الرمز البريدي (20 حرفًا على الأكثر).',
      comment: 'يرجى التحقق من تعليقك (1000 حرف على الأكثر).',
    },
    fix: 'يرجى تصحيح الحقول المشار إليها أدناه.',
    pendingTitle: 'تحقّق من بريدك الوارد',
    pending: 'أرسلنا إليك رسالة بالبريد الإلكتروني. يُحتسب توقيعك بعد تأكيده عبر الرابط الموجود فيها.',
    closed: 'هذه الحملة لا تقبل التوقيعات.',
    tooMany: 'محاولات كثيرة جدًا. يرجى الانتظار قليلًا ثم المحاولة مجددًا.',
    failed: 'حدث خطأ ما. يرجى المحاولة مجددًا.',
    offline: 'تعذّر الاتصال بالخادم. تحقّق من اتصالك وحاول مجددًا.',
    privacy: 'لا نعرض عنوان بريدك الإلكتروني أبدًا.',
    partners: 'المنظمات التي تقف وراء هذه الحملة',
    partnersHint: 'اختر منظمة فقط إن أردت أن تراسلك. إن لم تخترها فلن تتلقى شيئًا من بياناتك.',
    captcha: 'يرجى إكمال التحقق من أنك لست روبوتًا أولًا.',
    captchaUnavailable: 'تعذّر تحميل التحقق من أنك لست روبوتًا، لذا لا يمكن التوقيع الآن. يرجى المحاولة لاحقًا.',
    endorseOpen: 'التوقيع باسم منظمة',
    endorseHeading: 'وقِّع بصفتك منظمة',
    endorseLabels: {
      organisation: 'المنظمة',
      orgCountry: 'بلد المنظمة',
      website: 'الموقع الإلكتروني',
      contactName: 'اسم الشخص المسؤول عن التواصل',
      contactEmail: 'البريد الإلكتروني للتواصل',
      consent: 'أنا مخوَّل بالتوقيع على هذا البيان باسم هذه المنظمة، وأوافق على نشر اسمها وبلدها وموقعها الإلكتروني معه.',
    },
    endorseHints: {
      website: 'عنوان يبدأ بـ \u2066https://\u2069',
      contactName: 'الشخص الذي يمكننا سؤاله عن هذا التوقيع. لا يراه إلا فريق الحملة.',
      contactEmail: 'نراسل هذا العنوان لتأكيد التوقيع، ولا يُنشر أبدًا.',
    },
    endorseErrors: {
      organisation: 'يرجى إدخال اسم المنظمة.',
      orgCountry: 'يرجى اختيار بلد المنظمة من القائمة.',
      website: 'يرجى إدخال عنوان يبدأ بـ \u2066https://\u2069.',
      contactName: 'يرجى إدخال الاسم في سطر واحد، بما لا يزيد على 200 حرف.',
      contactEmail: 'يرجى إدخال عنوان بريد إلكتروني صالح.',
      consent: 'يرجى تأكيد أنك مخوَّل بالتوقيع باسم هذه المنظمة.',
    },
    endorseSubmit: 'وقِّع باسم المنظمة',
    endorsePendingTitle: 'تحقّق من بريد جهة الاتصال',
    endorsePending: 'أرسلنا رسالة إلى عنوان التواصل. بعد تأكيدها ومراجعتها من فريق الحملة، تظهر المنظمة في القائمة.',
    endorseClosed: 'هذا البيان لا يقبل توقيعات جديدة.',
  },
};
