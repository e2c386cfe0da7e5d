import { Annotations, Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionSpec, QueueTrigger } from '#infra/manifest.ts';
import { mappingConcurrency, maxMessageBytes, queueRetentionSeconds, queueWiring } from '#infra/queue-wiring.ts';
import { type DeadLetterQueueName, deadLetterUrlVariable, replayFunctionsVariable } from '#shared/queues/dead-letters.ts';
import { type QueueName, queueUrlVariable } from '#shared/queues/queue-names.ts';
import type { DeadLetterQueue } from './monitoring.ts';
import type { TadamonFunction } from './tadamon-function.ts';

export interface QueuesProps {
  /** The stack's data key: queue bodies name signers' items and addresses' owners. */
  key: IKey;
  manifest: readonly FunctionSpec[];
}

/** How long dead-letter queues keep a message for replay: SQS's maximum. */
const deadLetterRetention = Duration.days(14);
/**
 * For events that carry email addresses (SES bounces and complaints): the message is the event itself, address
 * included, so it is kept long enough to see the alarm over a weekend and replay it, and no longer.
 */
const addressEventRetention = Duration.days(3);

/** AWS advises a queue hide a message for six times its consumer's timeout, so a throttled batch is not received twice. */
const advisedVisibilityFactor = 6;

/**
 * Every queue of the stack: one SQS queue per queue name (shared/queues/queue-names.ts), each consumed by the one
 * function whose manifest entry has its trigger, and the few shared dead-letter queues that take what anything
 * gave up on. Lambda's failure records and EventBridge's dead letters name the function, mapping or rule they
 * come from, so one queue per kind of failure loses nothing that one queue per function kept, and costs one alarm
 * instead of a dozen.
 */
export class Queues extends Construct {
  readonly queues = new Map<QueueName, Queue>();
  /** Where SQS moves a message its consumer failed `maxReceiveCount` times: `start-message-move-task` sends each back. */
  readonly redrive: Queue;
  /** For the monitoring construct: every dead-letter queue, each alarmed when it holds anything. */
  readonly deadLetterQueues: DeadLetterQueue[] = [];
  private readonly key: IKey;
  private readonly lazily = new Map<string, Queue>();
  private readonly ruleViews = new Map<Queue, IQueue>();

  constructor(scope: Construct, id: string, props: QueuesProps) {
    super(scope, id);
    this.key = props.key;
    this.redrive = this.deadLetterQueue('QueueDeadLetters', deadLetterRetention, 'Queues', 'SQS moves here what a queue consumer failed maxReceiveCount times.');
    for (const wiring of queueWiring(props.manifest)) {
      const queue = new Queue(this, pascalCase(wiring.name), {
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: props.key,
        enforceSSL: true,
        retentionPeriod: Duration.seconds(queueRetentionSeconds),
        visibilityTimeout: Duration.seconds(wiring.visibilityTimeoutSeconds),
        maxMessageSizeBytes: maxMessageBytes,
        deadLetterQueue: { queue: this.redrive, maxReceiveCount: wiring.maxReceiveCount },
      });
      this.queues.set(wiring.name, queue);
      const timeout = wiring.consumer?.spec.timeoutSeconds ?? 10;
      if (wiring.consumer && wiring.visibilityTimeoutSeconds < advisedVisibilityFactor * timeout) {
        Annotations.of(queue).addWarningV2(
          'tadamon:queue-visibility',
          `The ${wiring.name} queue hides a message ${wiring.visibilityTimeoutSeconds} s, under ${advisedVisibilityFactor} times ${wiring.consumer.spec.name}'s timeout (${timeout} s) that AWS advises.`,
        );
      }
    }
  }

  /** Grants what a function's manifest entry says it sends to, on exactly those queues, and hands it their URLs. */
  connect(fn: TadamonFunction): void {
    const sendsTo = fn.spec.sendsTo ?? [];
    if (sendsTo.length === 0) return;
    const queues = sendsTo.map((name) => this.queue(name));
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: queues.map((queue) => queue.queueArn) }));
    // SQS encrypts each message under a data key it asks KMS for in the sender's name.
    this.key.grant(fn.role, 'kms:GenerateDataKey', 'kms:Decrypt');
    sendsTo.forEach((name, i) => fn.function.addEnvironment(queueUrlVariable(name), queues[i]!.queueUrl));
  }

  /**
   * Hands a function the dead-letter queues its manifest entry asks for (`deadLetters`), as `DEAD_LETTERS_<NAME>`:
   * `read` may count their messages; `redrive` may also start SQS's message move task on the mail dead-letter queue,
   * which needs receive and delete there, and send on the work queues the messages go back to; and replays the
   * event and stream failure records, which needs receive and delete on those queues, invoke on exactly the stack's
   * event, schedule and stream functions (`functions`), named to it in `DEAD_LETTER_REPLAY_FUNCTIONS`, and reading
   * the table's stream (`tableStreamArn`) to fetch a failed batch again. Call it once every
   * dead-letter queue exists (they are made as functions are wired).
   */
  openDeadLetters(fn: TadamonFunction, functions: Iterable<TadamonFunction> = [], tableStreamArn?: string): void {
    const access = fn.spec.deadLetters;
    if (!access) return;
    const byName = new Map<DeadLetterQueueName, IQueue>();
    for (const { queue, functionName } of this.deadLetterQueues) {
      const name = deadLetterNameOf[functionName];
      if (name) byName.set(name, queue);
    }
    for (const [name, queue] of byName) fn.function.addEnvironment(deadLetterUrlVariable(name), queue.queueUrl);
    const all = [...byName.values()];
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:GetQueueAttributes'], resources: all.map((queue) => queue.queueArn) }));
    if (access === 'redrive') {
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['sqs:StartMessageMoveTask', 'sqs:ListMessageMoveTasks', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'],
          resources: [this.redrive.queueArn],
        }),
      );
      const eventFailures = (['events', 'address-events'] as const).flatMap((name) => byName.get(name) ?? []);
      const streamFailures = byName.get('stream');
      // Only the functions whose failures land in those queues: a record naming any other is left alone.
      const stackFunctions = [...functions]; // an iterable may be read once only
      const eventTargets = stackFunctions.filter((target) => target.spec.triggers.some((trigger) => trigger.type === 'event' || trigger.type === 'schedule'));
      const streamTargets = streamFailures && tableStreamArn ? stackFunctions.filter((target) => target.spec.triggers.some((trigger) => trigger.type === 'stream')) : [];
      const targets = [...(eventFailures.length > 0 ? eventTargets : []), ...streamTargets];
      if (targets.length > 0) {
        const replayed = [...(eventTargets.length > 0 ? eventFailures : []), ...(streamTargets.length > 0 && streamFailures ? [streamFailures] : [])];
        fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], resources: replayed.map((queue) => queue.queueArn) }));
        fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: targets.map((target) => target.function.functionArn) }));
        fn.function.addEnvironment(replayFunctionsVariable, Fn.join(',', targets.map((target) => target.function.functionName)));
      }
      if (streamTargets.length > 0 && tableStreamArn) {
        // A failed stream batch is read again from the table's stream (its records stay 24 h).
        fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:GetShardIterator', 'dynamodb:GetRecords'], resources: [tableStreamArn] }));
      }
      fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [...this.queues.values()].map((queue) => queue.queueArn) }));
      // The move reads under the key and writes under it again, in the caller's name.
      this.key.grant(fn.role, 'kms:GenerateDataKey', 'kms:Decrypt');
      fn.acknowledgeDataKeyWildcards();
    }
  }

  /** The function's SQS event source mapping, as its trigger says; failures are reported message by message. */
  consume(fn: TadamonFunction, trigger: QueueTrigger, sesRatePerSecond: number): void {
    const maxConcurrency = mappingConcurrency(trigger, sesRatePerSecond);
    fn.function.addEventSource(
      new SqsEventSource(this.queue(trigger.queue), {
        batchSize: trigger.batchSize,
        maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds),
        reportBatchItemFailures: true,
        ...(maxConcurrency === undefined ? {} : { maxConcurrency }),
      }),
    );
  }

  /** The one on-failure destination of every table stream mapping: each record names its mapping, shard and sequence numbers. */
  streamFailures(): Queue {
    return this.shared('StreamFailures', deadLetterRetention, 'stream', 'StreamConsumers', 'Every stream event source mapping sends the batches it gave up on here.');
  }

  /**
   * The one dead-letter queue of every rule, schedule and asynchronous invocation, or (`carriesAddresses`) a
   * second one for events with email addresses in them, kept days instead of weeks.
   */
  asyncFailures(carriesAddresses: boolean): Queue {
    return carriesAddresses
      ? this.shared('AddressEventFailures', addressEventRetention, 'async', 'AddressEvents', 'Failed deliveries of events that carry email addresses (SES bounces and complaints).')
      : this.shared('AsyncFailures', deadLetterRetention, 'async', 'EventsAndSchedules', 'Failed deliveries of rules, schedules and asynchronous invocations.');
  }

  /**
   * The queue as a rule's dead-letter target. CDK would add a statement per rule to the queue's policy, which SQS
   * caps at 20 statements; the queue instead allows EventBridge rules of this account once (allowRules).
   */
  forRules(queue: Queue): IQueue {
    let view = this.ruleViews.get(queue);
    if (!view) {
      view = Queue.fromQueueAttributes(this, `${queue.node.id}ForRules`, { queueArn: queue.queueArn, queueUrl: queue.queueUrl, keyArn: this.key.keyArn });
      this.allowRules(queue);
      this.ruleViews.set(queue, view);
    }
    return view;
  }

  private allowRules(queue: Queue): void {
    const stack = Stack.of(this);
    queue.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EventBridgeRulesOfThisAccount',
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*' }) },
        },
      }),
    );
  }

  private queue(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`No queue named ${name}`);
    return queue;
  }

  private shared(id: string, retention: Duration, source: DeadLetterQueue['source'], label: string, holds: string): Queue {
    let queue = this.lazily.get(id);
    if (!queue) {
      queue = this.deadLetterQueue(id, retention, label, holds, source);
      this.lazily.set(id, queue);
    }
    return queue;
  }

  private deadLetterQueue(id: string, retentionPeriod: Duration, label: string, holds: string, source: DeadLetterQueue['source'] = 'async'): Queue {
    const queue = new Queue(this, id, { encryption: QueueEncryption.KMS, encryptionMasterKey: this.key, enforceSSL: true, retentionPeriod });
    Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: `This queue is itself a dead-letter queue. ${holds}` });
    this.deadLetterQueues.push({ queue, functionName: label, source });
    return queue;
  }
}

/** The API's names of the dead-letter queues (shared/queues/dead-letters.ts), by the label each is made with here. */
const deadLetterNameOf: Record<string, DeadLetterQueueName | undefined> = {
  Queues: 'mail',
  StreamConsumers: 'stream',
  EventsAndSchedules: 'events',
  AddressEvents: 'address-events',
};

function pascalCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}
