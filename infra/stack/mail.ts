import { Stack } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  MailFromBehaviorOnMxFailure,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { EventPattern } from '#infra/manifest.ts';

export interface MailProps {
  stage: string;
  senderEmail: string;
  /** Create this domain identity with Easy DKIM; without it, the sender's identity must already be verified. */
  senderDomain?: string;
  /** Custom MAIL FROM `<mailFromSubdomain>.<senderDomain>`; only with senderDomain. */
  mailFromSubdomain?: string;
}

/** A DNS record the sender domain needs before SES will send (or align SPF) for it. */
export interface DnsRecord {
  name: string;
  type: 'CNAME' | 'MX' | 'TXT';
  value: string;
}

/**
 * SES as the stack uses it: the sending identity, and a configuration set whose bounces and complaints go
 * to the default event bus (the only bus SES delivers to), where suppression picks them up.
 */
export class Mail extends Construct {
  readonly configurationSet: ConfigurationSet;
  /** The configuration set's name, as a plain string (event patterns are matched against it). */
  readonly configurationSetName: string;
  /** The identity mail is authorised against: the domain when one is managed here, else the address. */
  readonly identityArn: string;
  readonly identity?: EmailIdentity;
  /** The custom MAIL FROM domain, when one is set. */
  readonly mailFromDomain?: string;
  /** What to publish in DNS for the managed domain: three DKIM CNAMEs, and MX + SPF for a custom MAIL FROM. */
  readonly dnsRecords: DnsRecord[] = [];

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);

    this.configurationSetName = `tadamon-${props.stage}`;
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: this.configurationSetName,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });

    new ConfigurationSetEventDestination(this, 'BouncesAndComplaints', {
      configurationSet: this.configurationSet,
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });

    if (props.senderDomain) {
      if (props.mailFromSubdomain) this.mailFromDomain = `${props.mailFromSubdomain}.${props.senderDomain}`;
      // Easy DKIM is the default; the three CNAMEs to publish become stack outputs (see dnsRecords).
      this.identity = new EmailIdentity(this, 'Identity', {
        identity: Identity.domain(props.senderDomain),
        configurationSet: this.configurationSet,
        ...(this.mailFromDomain
          ? {
              mailFromDomain: this.mailFromDomain,
              // Until its MX record resolves, mail still goes out, from amazonses.com, rather than bouncing.
              mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
            }
          : {}),
      });
      for (const record of this.identity.dkimRecords) this.dnsRecords.push({ name: record.name, type: 'CNAME', value: record.value });
      if (this.mailFromDomain) {
        this.dnsRecords.push(
          { name: this.mailFromDomain, type: 'MX', value: `10 feedback-smtp.${Stack.of(this).region}.amazonses.com` },
          { name: this.mailFromDomain, type: 'TXT', value: '"v=spf1 include:amazonses.com ~all"' },
        );
      }
    } else if (props.mailFromSubdomain) {
      throw new Error('A custom MAIL FROM needs a sender domain managed by this stack');
    }
    this.identityArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: props.senderDomain ?? props.senderEmail,
    });
  }

  /**
   * SES publishes every configuration set's bounces and complaints to the same default bus, so a rule for
   * `aws.ses` events would also take other stages' (and other applications') events in this account and
   * region. SES tags each event with its configuration set (`mail.tags["ses:configuration-set"]`): the
   * deployed rule matches this stage's only. The manifest's pattern stays as it is for the local runtime,
   * whose SES stand-in has one configuration set and tags nothing. Other patterns pass through unchanged.
   */
  ownEventsOnly(pattern: EventPattern): EventPattern {
    const sources = pattern.source;
    if (!Array.isArray(sources) || sources.length === 0 || !sources.every((source) => source === 'aws.ses')) return pattern;
    const detail = (pattern.detail ?? {}) as EventPattern;
    const mail = (detail.mail ?? {}) as EventPattern;
    const tags = (mail.tags ?? {}) as EventPattern;
    return { ...pattern, detail: { ...detail, mail: { ...mail, tags: { ...tags, 'ses:configuration-set': [this.configurationSetName] } } } };
  }

  get configurationSetArn(): string {
    return Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
  }
}
