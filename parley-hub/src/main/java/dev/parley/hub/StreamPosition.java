package dev.parley.hub;

import java.util.Objects;

/**
 * A place in a channel's stream: the offset of a publication (0 before the first) in the channel's
 * epoch. An offset means nothing without its epoch: a channel whose history was lost starts a new
 * epoch and counts again from 1.
 */
public record StreamPosition(long offset, String epoch) {
    public StreamPosition {
        if (offset < 0) {
            throw new IllegalArgumentException("offset " + offset + " is negative");
        }
        Objects.requireNonNull(epoch, "epoch");
    }
}
