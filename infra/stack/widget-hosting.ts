import { DefaultStackSynthesizer, Duration, type RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

export interface WidgetHostingProps {
  stage: string;
  /** The built widget script (widget/build.ts `buildWidget()`), served as `/widget.js`. */
  script: string;
  removalPolicy: RemovalPolicy;
  /** Empty the bucket on stack deletion (stages that keep no data). */
  autoDeleteObjects: boolean;
}

/** The file's name in the bucket and its path on the distribution. */
export const widgetObjectKey = 'widget.js';

/**
 * The embeddable widget on AWS: one script in a private bucket, read only by a CloudFront distribution
 * (origin access control), served over HTTPS with CORS open to every origin since campaigns embed it anywhere.
 */
export class WidgetHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly deployment: BucketDeployment;
  readonly url: string;

  constructor(scope: Construct, id: string, props: WidgetHostingProps) {
    super(scope, id);

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: false,
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.autoDeleteObjects,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Holds only the public widget script, written by the deployment; every read goes through CloudFront.',
    });

    const responseHeaders = new ResponseHeadersPolicy(this, 'Headers', {
      comment: `Tadamon ${props.stage}: widget script, embeddable from any origin`,
      corsBehavior: {
        accessControlAllowOrigins: ['*'],
        accessControlAllowMethods: ['GET', 'HEAD'],
        accessControlAllowHeaders: ['*'],
        accessControlAllowCredentials: false,
        accessControlMaxAge: Duration.days(1),
        originOverride: true,
      },
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Tadamon ${props.stage}: embeddable widget`,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: responseHeaders,
        compress: true,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
    });
    const distribution = this.distribution;
    Validations.of(distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'The widget is embedded by campaigns worldwide; no country is to be cut off.' },
      { id: 'AwsSolutions-CFR2', reason: 'One static, cacheable public script; the API behind it has its own throttling.' },
      { id: 'AwsSolutions-CFR3', reason: 'One static public script; CloudFront metrics suffice and no log bucket is kept.' },
      { id: 'AwsSolutions-CFR4', reason: 'No custom domain yet: the default *.cloudfront.net certificate fixes the TLS policy.' },
    );

    // widget.js keeps its name (embedders link it), so browsers re-check within minutes; CloudFront keeps it
    // a day (s-maxage) and each deployment invalidates it.
    this.deployment = new BucketDeployment(this, 'Deployment', {
      sources: [Source.data(widgetObjectKey, props.script)],
      destinationBucket: this.bucket,
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.minutes(5)), CacheControl.sMaxAge(Duration.days(1))],
      distribution,
      distributionPaths: [`/${widgetObjectKey}`],
      prune: true,
      memoryLimit: 256,
    });

    this.url = `https://${distribution.distributionDomainName}/${widgetObjectKey}`;
    this.acknowledgeDeploymentHandler();
  }

  /** Findings on CDK's singleton BucketDeployment handler (a stack-level child), acknowledged on it alone. */
  private acknowledgeDeploymentHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('BucketDeployment created no handler where expected');
    const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    const part = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    const assets = `arn:<AWS::Partition>:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${part(stack.account, 'AccountId')}-${part(stack.region, 'Region')}/*`;
    const grant = (id: string, reason: string) => ({ id: `AwsSolutions-IAM5[${id}]`, reason });
    Validations.of(handler).acknowledge(
      { id: 'AwsSolutions-L1', reason: "CDK's BucketDeployment handler pins its own Python runtime; it runs only at deploy time." },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "CDK's BucketDeployment handler logs with the standard basic-execution policy.",
      },
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) =>
        grant(`Action::${action}`, "CDK's read/write grants to its BucketDeployment handler, on the asset bucket and the widget bucket only."),
      ),
      grant(`Resource::<${bucketId}.Arn>/*`, 'The handler writes and prunes the objects of the widget bucket, nothing else.'),
      grant(`Resource::${assets}`, "The handler reads the deployment's asset from the CDK bootstrap bucket."),
      grant('Resource::*', 'cloudfront:CreateInvalidation/GetInvalidation as CDK grants them, to invalidate /widget.js after a deployment.'),
    );
  }
}
