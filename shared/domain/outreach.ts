/** An outreach: one urgent call or weekly digest, mailed to every subscriber it concerns. */
export type OutreachKind = 'urgent-call' | 'digest';
export type DeliveryOutcome = 'sent' | 'failed' | 'skipped';

export interface Outreach {
  id: string;
  kind: OutreachKind;
  campaign?: string;
  subject?: string;
  message?: string;
  period?: string;
  planned: boolean;
  recipients: number;
  sent: number;
  failed: number;
  skipped: number;
  createdAt: string;
  requestedBy: string;
}
