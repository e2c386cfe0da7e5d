/**
 * What a function's bundle uses in place of `@smithy/core/event-streams` (the alias in bundling.ts). Every AWS
 * client's protocol loads that module (about 15 KB of codecs and marshallers) for operations that stream events,
 * such as Lambda's InvokeWithResponseStream; none of the operations the functions call does. Lambda's client
 * names the module when it is built, so what it asks for then is here and does nothing; an operation that did
 * stream events fails here by name rather than with a codec's error.
 */
function leftOut(): never {
  throw new Error('Event streams are left out of the bundled functions (infra/stack/no-event-streams.ts): call an operation that does not stream events');
}

/**
 * The marshaller's maker: Lambda's client config keeps it, and a protocol calls it when an operation streams
 * events, which is where such an operation fails.
 */
export const eventStreamSerdeProvider = (): never => leftOut();

/** A client built with event-stream support gets no marshaller: only an event-stream operation would use one. */
export const resolveEventStreamSerdeConfig = <Config extends object>(input: Config): Config => input;

/** What a protocol loads when an operation's input or output is an event stream (after the provider above). */
export class EventStreamSerde {
  serializeEventStream(): never {
    return leftOut();
  }

  deserializeEventStream(): never {
    return leftOut();
  }
}
