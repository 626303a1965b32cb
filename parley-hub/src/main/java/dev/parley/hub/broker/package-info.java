/**
 * The broker SPI: offsets, history, fan-out between nodes, presence and idempotency, and the
 * in-memory broker that is its first implementation and the default.
 */
package dev.parley.hub.broker;
