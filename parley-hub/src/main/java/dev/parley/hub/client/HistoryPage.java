package dev.parley.hub.client;

import dev.parley.hub.Publication;
import dev.parley.hub.StreamPosition;
import java.util.List;

/** A read of a channel's history: its latest position, and the publications asked for, oldest first. */
public record HistoryPage(StreamPosition top, List<Publication> publications) {
    public HistoryPage {
        publications = List.copyOf(publications);
    }
}
