/**
 * The opening handshake (RFC 6455 §4) for both roles: validating an upgrade request and building
 * the 101 response on the server, building the request and validating the response on the client,
 * and parsing {@code Sec-WebSocket-Extensions} by the grammar of RFC 6455 §9.1.
 */
package dev.parley.protocol.handshake;
