// Types of @parley/client. The protocol is docs/PROTOCOL.md in the Parley repository.

export type ConnectionState = "connecting" | "connected" | "disconnected" | "reconnecting" | "closed";

export declare const State: {
  readonly CONNECTING: "connecting";
  readonly CONNECTED: "connected";
  readonly DISCONNECTED: "disconnected";
  readonly RECONNECTING: "reconnecting";
  readonly CLOSED: "closed";
};

export declare const Disconnect: {
  readonly SHUTDOWN: 3000;
  readonly SLOW_CONSUMER: 3001;
  readonly NO_PONG: 3002;
  readonly FLOOD: 3003;
  readonly SERVER_ERROR: 3004;
  readonly UNAUTHORIZED: 3500;
  readonly UNSUPPORTED_VERSION: 3501;
  readonly BAD_REQUEST: 3502;
  readonly FORBIDDEN: 3503;
};

export declare const ErrorCode: {
  readonly INTERNAL: 100;
  readonly BAD_REQUEST: 101;
  readonly UNKNOWN_COMMAND: 102;
  readonly TOO_LARGE: 103;
  readonly NOT_CONNECTED: 104;
  readonly ALREADY_CONNECTED: 105;
  readonly INVALID_CHANNEL: 106;
  readonly PERMISSION_DENIED: 107;
  readonly NOT_AVAILABLE: 108;
  readonly ALREADY_SUBSCRIBED: 109;
  readonly NOT_SUBSCRIBED: 110;
  readonly STALE_POSITION: 111;
  readonly RATE_LIMITED: 112;
  readonly LIMIT_EXCEEDED: 113;
};

/** Whether a close or disconnect code tells the client to reconnect (everything but 3500-3999). */
export declare function shouldReconnect(code: number): boolean;

/** The server refused a command. */
export declare class HubError extends Error {
  readonly code: number;
  readonly errorName: string;
}

export interface ClientInfo {
  client: string;
  user: string;
  name?: string;
  version?: string;
}

export interface Publication<T = unknown> {
  channel: string;
  offset: number;
  data: T;
  info: ClientInfo | null;
  mid: string | null;
}

export interface StateChange {
  state: ConnectionState;
  /** For "disconnected" and "closed": the close or disconnect code. */
  code: number;
  reason: string;
  /** For "reconnecting": ms until the next attempt. */
  delay: number;
}

export interface PublishAck {
  channel: string;
  offset: number;
  epoch: string;
  /** The server had accepted this message before (a retry): it was delivered once all the same. */
  duplicate: boolean;
}

export interface SubscriptionHandlers<T = unknown> {
  publication?(p: Publication<T>): void;
  /** recovered is false when what was missed could not be replayed ("epoch_changed", "history_too_short"). */
  subscribed?(s: { recovered: boolean; reason: string }): void;
  join?(info: ClientInfo): void;
  leave?(info: ClientInfo): void;
  error?(e: HubError): void;
}

export interface Subscription {
  readonly channel: string;
  position(): { offset: number; epoch: string } | null;
  unsubscribe(): Promise<void>;
}

export interface TransportEvents {
  onOpen(): void;
  onMessage(text: string): void;
  onClose(code: number, reason: string): void;
}

export interface Transport {
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

export type TransportFactory = (url: string, events: TransportEvents) => Transport;

export declare function webSocketTransport(WebSocketImpl?: unknown): TransportFactory;

export interface HubClientOptions {
  token?: string;
  name?: string;
  version?: string;
  backoffMin?: number;
  backoffMax?: number;
  outboxLimit?: number;
  requestTimeout?: number;
  transport?: TransportFactory;
  random?: () => number;
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
  environment?: unknown;
}

export declare class HubClient {
  constructor(url: string, options?: HubClientOptions);
  readonly state: ConnectionState;
  readonly clientId: string;
  on(event: "state", fn: (change: StateChange) => void): () => void;
  on(event: "error", fn: (error: Error) => void): () => void;
  connect(): Promise<void>;
  subscribe<T = unknown>(channel: string, handlers?: SubscriptionHandlers<T>): Subscription;
  publish(channel: string, data: unknown): Promise<PublishAck>;
  pending(): { channel: string; data: unknown; mid: string }[];
  presence(channel: string): Promise<ClientInfo[]>;
  history<T = unknown>(channel: string, limit?: number, since?: { offset: number; epoch: string } | null): Promise<{ offset: number; epoch: string; publications: Publication<T>[] }>;
  ping(): Promise<number>;
  close(): void;
}

export declare class Backoff {
  constructor(minMs: number, maxMs: number, random?: () => number);
  ceiling(attempt: number): number;
  delay(attempt: number): number;
}
