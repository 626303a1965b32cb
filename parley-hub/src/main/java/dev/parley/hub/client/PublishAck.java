package dev.parley.hub.client;

/**
 * The server's acknowledgement of a publish: the publication's place in its channel. {@code
 * duplicate} is true when the server had already accepted this message (a retry after a lost ack);
 * it was delivered once all the same.
 */
public record PublishAck(String channel, long offset, String epoch, boolean duplicate) {}
