import type { Localized } from '../locales.ts';

/** The campaign page, the front page and the answer to the campaign page's form (shared/pages/campaign-page.ts, front-page.ts). */
export interface CampaignPageStrings {
  kinds: { petition: string; statement: string; appeal: string };
  closed: string;
  notYetOpen: string;
  issuedBy: string;
  demands: string;
  letter: string;
  /** Above the letter: to whom it goes. */
  letterTo: (target: string) => string;
  /** The counter; numbers come formatted for the locale and raw, to pick the plural form. */
  signatures: (total: number, formatted: string) => string;
  endorsements: (total: number, formatted: string) => string;
  ofGoal: (formattedGoal: string) => string;
  progressLabel: string;
  organisations: string;
  noOrganisations: string;
  moreOrganisations: string;
  // The form
  signHeading: string;
  endorseHint: string;
  name: string;
  email: string;
  country: string;
  countryHint: string;
  postcode: string;
  comment: string;
  optional: string;
  showName: string;
  subscribe: string;
  /** Above the partner organisations' opt-in boxes, and what each box means. */
  partners: string;
  partnersHint: string;
  sign: string;
  privacy: string;
  // The answer to the form
  checkInboxTitle: string;
  checkInbox: (title: string) => string;
  backToCampaign: string;
  formProblemTitle: string;
  formClosed: (title: string) => string;
  // The front page
  frontTitle: string;
  frontIntro: string;
  openCampaigns: string;
  closedCampaigns: string;
  noCampaigns: string;
  more: string;
  readAndAct: string;
  /** The link to the campaign page in another language (`hreflang` alternates made visible). */
  otherLanguages: string;
  notFoundTitle: string;
  notFound: string;
  toFrontPage: string;
}

const nbsp = '\u00a0';

export const campaignPageStrings: Localized<CampaignPageStrings> = {
  en: {
    kinds: { petition: 'Petition', statement: 'Statement', appeal: 'Appeal' },
    closed: 'This campaign is closed. Thank you to everyone who took part.',
    notYetOpen: 'This campaign is not open yet.',
    issuedBy: 'Issued by',
    demands: 'Our demands',
    letter: 'The letter',
    letterTo: (target) => `To: ${target}`,
    signatures: (total, n) => (total === 1 ? '1 signature' : `${n} signatures`),
    endorsements: (total, n) => (total === 1 ? '1 organisation has endorsed it' : `${n} organisations have endorsed it`),
    ofGoal: (g) => `of ${g}`,
    progressLabel: 'Progress towards the goal',
    organisations: 'Endorsing organisations',
    noOrganisations: 'No organisation is listed yet.',
    moreOrganisations: 'More organisations',
    signHeading: 'Sign',
    endorseHint: 'Organisations can endorse this statement through the form of the embedded widget.',
    name: 'Your name',
    email: 'Your email address',
    country: 'Country',
    countryHint: 'Two-letter code, for example MA, FR or TR.',
    postcode: 'Postcode',
    comment: 'Comment',
    optional: '(optional)',
    showName: 'Show my name in the public list of signatures',
    subscribe: 'Send me urgent calls and the weekly digest',
    partners: 'The organisations behind this campaign',
    partnersHint: 'Tick an organisation only if you want it to write to you. Unticked, it gets nothing of yours.',
    sign: 'Sign',
    privacy: 'We send you one email to confirm. Your address is used only for what you asked for.',
    checkInboxTitle: 'Check your mailbox',
    checkInbox: (title) => `To count your signature for “${title}”, open the email we have just sent you and confirm.`,
    backToCampaign: 'Back to the campaign',
    formProblemTitle: 'Please check the form',
    formClosed: (title) => `“${title}” is not accepting signatures.`,
    frontTitle: 'Solidarity campaigns',
    frontIntro: 'Petitions, statements and appeals you can read, sign and share.',
    openCampaigns: 'Open campaigns',
    closedCampaigns: 'Closed campaigns',
    noCampaigns: 'There is no campaign here yet.',
    more: 'More campaigns',
    readAndAct: 'Read and take part',
    otherLanguages: 'Other languages',
    notFoundTitle: 'Page not found',
    notFound: 'There is no campaign at this address.',
    toFrontPage: 'See all campaigns',
  },
  fr: {
    kinds: { petition: 'Pétition', statement: 'Déclaration', appeal: 'Appel' },
    closed: 'Cette campagne est close. Merci à toutes celles et tous ceux qui y ont pris part.',
    notYetOpen: 'Cette campagne n’est pas encore ouverte.',
    issuedBy: 'À l’initiative de',
    demands: 'Nos revendications',
    letter: 'La lettre',
    letterTo: (target) => `À${nbsp}: ${target}`,
    signatures: (total, n) => (total <= 1 ? `${n} signature` : `${n} signatures`),
    endorsements: (total, n) => (total <= 1 ? `${n} organisation l’a signée` : `${n} organisations l’ont signée`),
    ofGoal: (g) => `sur ${g}`,
    progressLabel: 'Progression vers l’objectif',
    organisations: 'Organisations signataires',
    noOrganisations: 'Aucune organisation n’est encore listée.',
    moreOrganisations: 'Plus d’organisations',
    signHeading: 'Signer',
    endorseHint: 'Les organisations peuvent signer cette déclaration avec le formulaire du widget intégré.',
    name: 'Votre nom',
    email: 'Votre adresse e-mail',
    country: 'Pays',
    countryHint: 'Code à deux lettres, par exemple MA, FR ou TR.',
    postcode: 'Code postal',
    comment: 'Commentaire',
    optional: '(facultatif)',
    showName: 'Afficher mon nom dans la liste publique des signatures',
    subscribe: 'M’envoyer les appels urgents et la lettre hebdomadaire',
    partners: 'Les organisations qui portent cette campagne',
    partnersHint: 'Cochez une organisation seulement si vous voulez qu’elle vous écrive. Sans case cochée, elle ne reçoit rien de vous.',
    sign: 'Signer',
    privacy: 'Nous vous envoyons un e-mail de confirmation. Votre adresse ne sert qu’à ce que vous avez demandé.',
    checkInboxTitle: 'Consultez votre messagerie',
    checkInbox: (title) => `Pour que votre signature de «${nbsp}${title}${nbsp}» compte, ouvrez l’e-mail que nous venons de vous envoyer et confirmez.`,
    backToCampaign: 'Retour à la campagne',
    formProblemTitle: 'Veuillez vérifier le formulaire',
    formClosed: (title) => `«${nbsp}${title}${nbsp}» n’accepte plus de signatures.`,
    frontTitle: 'Campagnes de solidarité',
    frontIntro: 'Des pétitions, déclarations et appels à lire, signer et partager.',
    openCampaigns: 'Campagnes en cours',
    closedCampaigns: 'Campagnes closes',
    noCampaigns: 'Il n’y a encore aucune campagne ici.',
    more: 'Plus de campagnes',
    readAndAct: 'Lire et participer',
    otherLanguages: 'Autres langues',
    notFoundTitle: 'Page introuvable',
    notFound: 'Il n’y a pas de campagne à cette adresse.',
    toFrontPage: 'Voir toutes les campagnes',
  },
  es: {
    kinds: { petition: 'Petición', statement: 'Declaración', appeal: 'Llamamiento' },
    closed: 'Esta campaña está cerrada. Gracias a todas las personas que participaron.',
    notYetOpen: 'Esta campaña todavía no está abierta.',
    issuedBy: 'Convocada por',
    demands: 'Nuestras demandas',
    letter: 'La carta',
    letterTo: (target) => `Para: ${target}`,
    signatures: (total, n) => (total === 1 ? '1 firma' : `${n} firmas`),
    endorsements: (total, n) => (total === 1 ? '1 organización la ha suscrito' : `${n} organizaciones la han suscrito`),
    ofGoal: (g) => `de ${g}`,
    progressLabel: 'Avance hacia el objetivo',
    organisations: 'Organizaciones firmantes',
    noOrganisations: 'Todavía no figura ninguna organización.',
    moreOrganisations: 'Más organizaciones',
    signHeading: 'Firmar',
    endorseHint: 'Las organizaciones pueden suscribir esta declaración con el formulario del widget integrado.',
    name: 'Tu nombre',
    email: 'Tu correo electrónico',
    country: 'País',
    countryHint: 'Código de dos letras, por ejemplo MA, FR o TR.',
    postcode: 'Código postal',
    comment: 'Comentario',
    optional: '(opcional)',
    showName: 'Mostrar mi nombre en la lista pública de firmas',
    subscribe: 'Enviarme los llamamientos urgentes y el resumen semanal',
    partners: 'Las organizaciones que impulsan esta campaña',
    partnersHint: 'Marque una organización solo si quiere que le escriba. Sin marcar, no recibe nada suyo.',
    sign: 'Firmar',
    privacy: 'Te enviamos un correo para confirmar. Tu dirección solo se usa para lo que pediste.',
    checkInboxTitle: 'Revisa tu correo',
    checkInbox: (title) => `Para que cuente tu firma de «${title}», abre el correo que acabamos de enviarte y confirma.`,
    backToCampaign: 'Volver a la campaña',
    formProblemTitle: 'Revisa el formulario',
    formClosed: (title) => `«${title}» ya no acepta firmas.`,
    frontTitle: 'Campañas de solidaridad',
    frontIntro: 'Peticiones, declaraciones y llamamientos para leer, firmar y compartir.',
    openCampaigns: 'Campañas abiertas',
    closedCampaigns: 'Campañas cerradas',
    noCampaigns: 'Todavía no hay ninguna campaña.',
    more: 'Más campañas',
    readAndAct: 'Leer y participar',
    otherLanguages: 'Otros idiomas',
    notFoundTitle: 'Página no encontrada',
    notFound: 'No hay ninguna campaña en esta dirección.',
    toFrontPage: 'Ver todas las campañas',
  },
  ar: {
    kinds: { petition: 'عريضة', statement: 'بيان', appeal: 'نداء' },
    closed: 'هذه الحملة مغلقة. شكرًا لكل من شارك فيها.',
    notYetOpen: 'هذه الحملة لم تُفتح بعد.',
    issuedBy: 'صادر عن',
    demands: 'مطالبنا',
    letter: 'الرسالة',
    letterTo: (target) => `إلى: ${target}`,
    signatures: (total, n) => (total === 1 ? 'توقيع واحد' : total === 2 ? 'توقيعان' : total >= 3 && total <= 10 ? `${n} توقيعات` : `${n} توقيعًا`),
    endorsements: (total, n) =>
      total === 1 ? 'وقّعت عليه منظمة واحدة' : total === 2 ? 'وقّعت عليه منظمتان' : total >= 3 && total <= 10 ? `وقّعت عليه ${n} منظمات` : `وقّعت عليه ${n} منظمة`,
    ofGoal: (g) => `من أصل ${g}`,
    progressLabel: 'التقدم نحو الهدف',
    organisations: 'المنظمات الموقّعة',
    noOrganisations: 'لا توجد منظمة مدرجة بعد.',
    moreOrganisations: 'مزيد من المنظمات',
    signHeading: 'وقّع',
    endorseHint: 'يمكن للمنظمات التوقيع على هذا البيان عبر استمارة الأداة المدمجة.',
    name: 'اسمك',
    email: 'بريدك الإلكتروني',
    country: 'البلد',
    countryHint: 'رمز من حرفين، مثل MA أو FR أو TR.',
    postcode: 'الرمز البريدي',
    comment: 'تعليق',
    optional: '(اختياري)',
    showName: 'أظهِر اسمي في القائمة العامة للموقّعين',
    subscribe: 'أرسلوا إليّ النداءات العاجلة والنشرة الأسبوعية',
    partners: 'المنظمات التي تقف وراء هذه الحملة',
    partnersHint: 'اختر منظمة فقط إن أردت أن تراسلك. إن لم تخترها فلن تتلقى شيئًا من بياناتك.',
    sign: 'وقّع',
    privacy: 'نرسل إليك رسالة واحدة للتأكيد. لا يُستخدم عنوانك إلا لما طلبته.',
    checkInboxTitle: 'تفقّد بريدك',
    checkInbox: (title) => `ليُحتسب توقيعك على «${title}»، افتح الرسالة التي أرسلناها إليك للتو وأكّد.`,
    backToCampaign: 'العودة إلى الحملة',
    formProblemTitle: 'يُرجى مراجعة الاستمارة',
    formClosed: (title) => `«${title}» لم تعد تقبل التوقيعات.`,
    frontTitle: 'حملات التضامن',
    frontIntro: 'عرائض وبيانات ونداءات يمكنك قراءتها والتوقيع عليها ومشاركتها.',
    openCampaigns: 'الحملات المفتوحة',
    closedCampaigns: 'الحملات المغلقة',
    noCampaigns: 'لا توجد أي حملة هنا بعد.',
    more: 'مزيد من الحملات',
    readAndAct: 'اقرأ وشارك',
    otherLanguages: 'لغات أخرى',
    notFoundTitle: 'الصفحة غير موجودة',
    notFound: 'لا توجد حملة في هذا العنوان.',
    toFrontPage: 'عرض كل الحملات',
  },
};
