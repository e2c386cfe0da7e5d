import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface OperatorsProps {
  stage: string;
  removalPolicy: RemovalPolicy;
  deletionProtection: boolean;
}

/**
 * Who may use the admin API: a Cognito user pool that only an administrator adds people to, and the JWT
 * authorizer that puts a verified operator's claims on the event (see shared/http/operator-auth.ts).
 * Operators can publish campaigns and export signers, so their accounts get the strongest settings Cognito has.
 */
export class Operators extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly authorizer: HttpUserPoolAuthorizer;

  constructor(scope: Construct, id: string, props: OperatorsProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `tadamon-${props.stage}-operators`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      // Authenticator apps only: SMS codes can be intercepted, and SIM swaps are a known attack on activists.
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      removalPolicy: props.removalPolicy,
      deletionProtection: props.deletionProtection,
    });

    // The operator CLI signs in with SRP and sends the access token; no hosted UI, no OAuth redirects.
    this.client = this.userPool.addClient('CliClient', {
      userPoolClientName: 'operator-cli',
      authFlows: { userSrp: true },
      disableOAuth: true,
      generateSecret: false,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    this.authorizer = new HttpUserPoolAuthorizer('OperatorAuthorizer', this.userPool, {
      userPoolClients: [this.client],
    });
  }
}
