/**
 * The Java hub client: connect, subscribe, publish with acknowledgement, presence and history,
 * with reconnection, an outbox of unacknowledged publishes and resubscription with recovery.
 */
package dev.parley.hub.client;
