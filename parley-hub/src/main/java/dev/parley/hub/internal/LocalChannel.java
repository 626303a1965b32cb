package dev.parley.hub.internal;

import dev.parley.hub.ChannelOptions;
import dev.parley.hub.Publication;
import dev.parley.hub.transport.OutboundMessage;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * This node's subscribers of one channel, grouped by the executor (event loop) their sessions run
 * on. A publication is serialised once and handed to each group in one task, so a fan-out to ten
 * thousand subscribers on two event loops costs two hand-offs, not ten thousand.
 *
 * <p>Membership changes happen under {@link LocalChannels}' per-channel lock; fan-out reads the
 * copy-on-write arrays without one. Tasks for one group are queued in offset order (the broker
 * delivers a channel's publications one at a time, in order), and an executor runs its tasks in
 * order, so every subscriber sees the channel's order.
 */
final class LocalChannel {
    private static final Members NONE = new Members(new Subscription[0], 0);

    final String name;
    final ChannelOptions options;
    final CompletionStage<Void> ready;
    private volatile Group[] groups = new Group[0];
    private int size;

    private static final class Group {
        final Executor executor;
        volatile Members members = NONE;

        Group(Executor executor) {
            this.executor = executor;
        }
    }

    /**
     * The first {@code count} slots of {@code array}: what a fan-out reads. A later add may fill
     * the slot after them in the same array (readers of this snapshot never look there), so adding
     * is amortised O(1); a removal copies.
     */
    private record Members(Subscription[] array, int count) {}

    LocalChannel(String name, ChannelOptions options, CompletionStage<Void> ready) {
        this.name = name;
        this.options = options;
        this.ready = ready;
    }

    /** Under the registry's lock for this channel. */
    void add(Subscription s) {
        Executor executor = s.executor();
        Group group = null;
        for (Group g : groups) {
            if (g.executor == executor) {
                group = g;
            }
        }
        if (group == null) {
            group = new Group(executor);
            Group[] grown = Arrays.copyOf(groups, groups.length + 1);
            grown[groups.length] = group;
            groups = grown;
        }
        Members members = group.members;
        Subscription[] array = members.array();
        int count = members.count();
        if (count == array.length) {
            array = Arrays.copyOf(array, Math.max(8, count * 2));
        }
        array[count] = s;
        group.members = new Members(array, count + 1);
        size++;
    }

    /** Under the registry's lock for this channel. */
    void remove(Subscription s) {
        for (Group g : groups) {
            if (g.executor != s.executor()) {
                continue;
            }
            Members members = g.members;
            Subscription[] array = members.array();
            int count = members.count();
            for (int i = 0; i < count; i++) {
                if (array[i] == s) {
                    // A fresh array: a fan-out may be reading the old one.
                    Subscription[] shrunk = new Subscription[Math.max(8, count - 1)];
                    System.arraycopy(array, 0, shrunk, 0, i);
                    System.arraycopy(array, i + 1, shrunk, i, count - i - 1);
                    g.members = new Members(shrunk, count - 1);
                    size--;
                    return;
                }
            }
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /**
     * Hands a publication to every subscriber, one task per event loop. The loop is written out
     * here and in {@link #event} on purpose: folding both into one helper taking a {@code
     * Consumer} cost about 5 % of scenario 7's deliveries per second (7 alternated pairs).
     */
    void publish(Publication p) {
        OutboundMessage message = new OutboundMessage(Messages.pub(p));
        for (Group g : groups) {
            Members members = g.members;
            if (members.count() > 0) {
                g.executor.execute(() -> {
                    Subscription[] array = members.array();
                    for (int i = 0, n = members.count(); i < n; i++) {
                        Subscription s = array[i];
                        s.session.deliver(s, p, message);
                    }
                });
            }
        }
    }

    /** Hands a presence event (join, leave) to every subscriber that is not pending. */
    void event(OutboundMessage message) {
        for (Group g : groups) {
            Members members = g.members;
            if (members.count() > 0) {
                g.executor.execute(() -> {
                    Subscription[] array = members.array();
                    for (int i = 0, n = members.count(); i < n; i++) {
                        Subscription s = array[i];
                        s.session.deliverEvent(s, message);
                    }
                });
            }
        }
    }
}
