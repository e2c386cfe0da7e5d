export { confirmationMail } from './confirmation.ts';
export { digestMail, type CampaignLine } from './digest.ts';
export { milestoneMail } from './milestone.ts';
export { urgentCallMail } from './urgent-call.ts';
