/**
 * The opening handshake (RFC 6455 §4) for both roles, sans-IO: bytes in, values out.
 *
 * <ul>
 *   <li>{@link dev.parley.protocol.handshake.HttpHeadParser} reads an HTTP/1.1 request or response
 *       head incrementally and strictly, within {@link dev.parley.protocol.handshake.HeadLimits};
 *       it knows nothing of WebSocket and serves the HTTP layer too.
 *   <li>{@link dev.parley.protocol.handshake.ServerHandshake} validates an upgrade request into an
 *       {@link dev.parley.protocol.handshake.UpgradeRequest} and builds the 101 or the refusal.
 *   <li>{@link dev.parley.protocol.handshake.ClientHandshake} builds the request from a ws or wss
 *       URI and validates the server's response.
 *   <li>{@link dev.parley.protocol.handshake.ExtensionHeaderParser} reads and writes {@code
 *       Sec-WebSocket-Extensions} by the grammar of RFC 6455 §9.1.
 * </ul>
 *
 * <p>Every refusal is a {@link dev.parley.protocol.handshake.HandshakeException} carrying the HTTP
 * status (server side) or status 0 (client side) and a one-sentence message.
 */
package dev.parley.protocol.handshake;
