import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnDistribution } from 'aws-cdk-lib/aws-cloudfront';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TadamonStack } from '#infra/stack/tadamon-stack.ts';
import { synth } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };

describe('widget hosting (S3 + CloudFront)', () => {
  let stack: TadamonStack;
  let template: Template;
  let bucketId: string;
  let distributionId: string;

  beforeAll(() => {
    ({ stack, template } = synth());
    const widget = stack.node.findChild('Widget');
    bucketId = stack.getLogicalId(widget.node.findChild('Bucket').node.defaultChild as CfnBucket);
    distributionId = stack.getLogicalId(widget.node.findChild('Distribution').node.defaultChild as CfnDistribution);
  });

  it('keeps the bucket private and encrypted', () => {
    const bucket = template.toJSON().Resources[bucketId] as Resource;
    expect(bucket.Type).toBe('AWS::S3::Bucket');
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
  });

  it('lets only the distribution read the bucket (origin access control), and only over TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: {
              StringEquals: {
                'AWS:SourceArn': Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([{ Ref: distributionId }])]) }),
              },
            },
          }),
        ]),
      },
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    // No statement grants anyone but CloudFront.
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } })) as Resource[];
    const allows = policies.flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: { Effect: string; Principal: unknown }[] }).Statement)
      .filter((statement) => statement.Effect === 'Allow');
    for (const statement of allows) {
      const principal = JSON.stringify(statement.Principal);
      // The auto-delete handler's role (non-retaining stages) may empty the bucket; nobody else may touch it.
      expect(principal === JSON.stringify({ Service: 'cloudfront.amazonaws.com' }) || principal.includes('CustomS3AutoDeleteObjects')).toBe(true);
    }
  });

  it('redirects to HTTPS, caches, and answers any origin with CORS for GET', () => {
    // The widget is one behaviour of the distribution in front of the API (test/infra/edge.test.ts has the rest).
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        CacheBehaviors: Match.arrayWith([
          Match.objectLike({
            PathPattern: '/widget.js',
            ViewerProtocolPolicy: 'redirect-to-https',
            CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6', // Managed-CachingOptimized
            ResponseHeadersPolicyId: { Ref: Match.anyValue() },
            OriginRequestPolicyId: Match.absent(),
          }),
        ]),
        Origins: Match.arrayWith([Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: { OriginAccessIdentity: '' } })]),
      },
    });
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        CorsConfig: {
          AccessControlAllowOrigins: { Items: ['*'] },
          AccessControlAllowMethods: { Items: Match.arrayWith(['GET']) },
          AccessControlAllowCredentials: false,
          OriginOverride: true,
        },
      },
    });
  });

  it('deploys the widget as text/javascript and invalidates it', () => {
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: bucketId },
      SystemMetadata: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': Match.stringLikeRegexp('max-age=') },
      DistributionId: { Ref: distributionId },
      DistributionPaths: ['/widget.js'],
    });
  });

  it('outputs the widget URL', () => {
    template.hasOutput('WidgetUrl', {
      Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/widget.js']] },
    });
  });

  it('keeps the bucket in data-keeping stages and empties it elsewhere', () => {
    const prod = synth({ stage: 'prod' });
    const prodBucketId = prod.stack.getLogicalId(prod.stack.node.findChild('Widget').node.findChild('Bucket').node.defaultChild as CfnBucket);
    expect(prod.template.toJSON().Resources[prodBucketId]).toMatchObject({ DeletionPolicy: 'Retain' });
    prod.template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
  });
});
