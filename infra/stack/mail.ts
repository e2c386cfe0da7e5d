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
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface MailProps {
  stage: string;
  senderEmail: string;
  /** Create this domain identity with Easy DKIM; without it, the sender's identity must already be verified. */
  senderDomain?: string;
}

/**
 * SES as the stack uses it: the sending identity, and a configuration set whose bounces and complaints go
 * to the default event bus (the only bus SES delivers to), where suppression picks them up.
 */
export class Mail extends Construct {
  readonly configurationSet: ConfigurationSet;
  /** The identity mail is authorised against: the domain when one is managed here, else the address. */
  readonly identityArn: string;
  readonly identity?: EmailIdentity;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: `tadamon-${props.stage}`,
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
      // Easy DKIM is the default; the DKIM CNAMEs to publish are in the SES console after deploy.
      this.identity = new EmailIdentity(this, 'Identity', {
        identity: Identity.domain(props.senderDomain),
        configurationSet: this.configurationSet,
      });
    }
    this.identityArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: props.senderDomain ?? props.senderEmail,
    });
  }

  get configurationSetArn(): string {
    return Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
  }
}
