export { confirmationMail, type ConfirmationAction, type ConfirmationMail } from './confirmation.ts';
export { digestMail, formatPeriod, type CampaignLine, type DigestMail } from './digest.ts';
export { mailLocale, mailLocales, textDirection, type MailLocale } from './i18n.ts';
export { bulkHeaders, renderLayout, renderParts, renderTextLayout, type Block, type Footer, type LayoutInput } from './layout.ts';
export { milestoneMail, type MilestoneMail } from './milestone.ts';
export { singleLine } from './text.ts';
export { urgentCallMail, type UrgentCallMail } from './urgent-call.ts';
