// @parley/client: the browser and Node client of the Parley hub.
export { HubClient } from "./client.js";
export { Backoff } from "./backoff.js";
export { State, Disconnect, ErrorCode, HubError, shouldReconnect } from "./codes.js";
export { webSocketTransport } from "./transport.js";
