package dev.parley.hub.broker;

import dev.parley.hub.StreamPosition;

/**
 * What a broker did with a publish: the publication's position, and whether it was a retry of one
 * already accepted (same channel, same publisher, same message id), which is not delivered again.
 */
public record PublishResult(StreamPosition position, boolean duplicate) {}
