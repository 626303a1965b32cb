// The hub protocol's codes (docs/PROTOCOL.md), in one place.

/** Connection states, as the client reports them. */
export const State = Object.freeze({
  CONNECTING: "connecting",
  CONNECTED: "connected",
  DISCONNECTED: "disconnected",
  RECONNECTING: "reconnecting",
  CLOSED: "closed",
});

/** Disconnect codes: 3000-3499 mean reconnect, 3500-3999 mean do not. */
export const Disconnect = Object.freeze({
  SHUTDOWN: 3000,
  SLOW_CONSUMER: 3001,
  NO_PONG: 3002,
  FLOOD: 3003,
  SERVER_ERROR: 3004,
  UNAUTHORIZED: 3500,
  UNSUPPORTED_VERSION: 3501,
  BAD_REQUEST: 3502,
  FORBIDDEN: 3503,
});

/** Whether a close or disconnect code tells the client to come back. */
export function shouldReconnect(code) {
  return !(code >= 3500 && code <= 3999);
}

/** Error codes answering one command; the session stays open. */
export const ErrorCode = Object.freeze({
  INTERNAL: 100,
  BAD_REQUEST: 101,
  UNKNOWN_COMMAND: 102,
  TOO_LARGE: 103,
  NOT_CONNECTED: 104,
  ALREADY_CONNECTED: 105,
  INVALID_CHANNEL: 106,
  PERMISSION_DENIED: 107,
  NOT_AVAILABLE: 108,
  ALREADY_SUBSCRIBED: 109,
  NOT_SUBSCRIBED: 110,
  STALE_POSITION: 111,
  RATE_LIMITED: 112,
  LIMIT_EXCEEDED: 113,
});

/** The server refused a command: `code` is one of ErrorCode, `name` its wire name. */
export class HubError extends Error {
  constructor(code, name, message) {
    super(`${name} (${code}): ${message}`);
    this.name = "HubError";
    this.code = code;
    this.errorName = name;
  }
}
