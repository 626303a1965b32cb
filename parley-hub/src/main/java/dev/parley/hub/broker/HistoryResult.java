package dev.parley.hub.broker;

import dev.parley.hub.Publication;
import dev.parley.hub.StreamPosition;
import java.util.List;

/**
 * A read of a channel's history.
 *
 * @param top the channel's latest position when the read was made
 * @param publications the publications asked for, oldest first
 * @param outcome whether a read "since a position" could be answered in full
 */
public record HistoryResult(StreamPosition top, List<Publication> publications, Outcome outcome) {
    public HistoryResult {
        publications = List.copyOf(publications);
    }

    public enum Outcome {
        /** Every publication asked for is in {@code publications}. */
        COMPLETE,
        /** The position named another epoch: the history it belonged to is gone. */
        EPOCH_CHANGED,
        /** Publications after the position were already dropped from history. */
        TOO_SHORT,
        /** The position is past the channel's latest offset. */
        FUTURE_OFFSET
    }
}
