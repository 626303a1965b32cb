/**
 * The transport SPI that feeds hub sessions, and its WebSocket binding. Fallback transports (SSE,
 * long-polling) implement the same interface.
 */
package dev.parley.hub.transport;
