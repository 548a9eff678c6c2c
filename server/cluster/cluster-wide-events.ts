import type { Logger } from '../shared/logger';
import { TypedEmitter } from '../shared/typed-emitter';
import type { ClusterBus } from './cluster-bus';

/** Events whose one argument is a JSON-safe object (what the bus can carry). */
type OneArgumentEvents<Events> = { [K in keyof Events]: [payload: unknown] };

/** What a feature's emitter offers to listeners. */
export interface EventSource<Events> {
  on<K extends keyof Events & string>(event: K, listener: (...args: Events[K] & unknown[]) => void): unknown;
  off<K extends keyof Events & string>(event: K, listener: (...args: Events[K] & unknown[]) => void): unknown;
}

/**
 * A feature's events as seen from every node: this node's own (from `source`) and the other nodes'
 * (from the bus), on one emitter. Listeners here — the socket server delivering a new message to
 * the inbox sockets this node holds, say — need not know how many nodes there are.
 */
export class ClusterWideEvents<Events extends OneArgumentEvents<Events>> extends TypedEmitter<Events> {
  readonly #stops: (() => void)[] = [];

  constructor(options: {
    readonly source: EventSource<Events>;
    readonly bus: ClusterBus;
    /** The bus topic; one per feature. */
    readonly topic: string;
    readonly events: readonly (keyof Events & string)[];
    readonly logger: Logger;
  }) {
    super(options.logger);
    const { source, bus, topic, logger } = options;
    const names = new Set<string>(options.events);
    for (const event of options.events) {
      const local = (...args: Events[typeof event]): void => {
        this.emit(event, ...args);
        bus.publish(topic, { event, payload: args[0] }).catch((error: unknown) => {
          logger.warn({ err: error, topic, event }, 'could not tell the other nodes');
        });
      };
      source.on(event, local as never);
      this.#stops.push(() => source.off(event, local as never));
    }
    this.#stops.push(
      bus.subscribe(topic, (message) => {
        const { event, payload } = message as { event: string; payload: unknown };
        if (!names.has(event)) return;
        this.emit(event as keyof Events & string, ...([payload] as Events[keyof Events & string]));
      }),
    );
  }

  /** Stops relaying in both directions; idempotent. */
  stop(): void {
    for (const stop of this.#stops.splice(0)) stop();
  }
}
