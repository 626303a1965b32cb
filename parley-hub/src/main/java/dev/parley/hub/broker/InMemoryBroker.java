package dev.parley.hub.broker;

import dev.parley.hub.ChannelOptions;
import dev.parley.hub.ClientInfo;
import dev.parley.hub.Publication;
import dev.parley.hub.StreamPosition;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The broker of a single node, in memory: the default. Each channel is a lock around its offset
 * counter, a bounded history ring, a bounded map of recent message ids and its presence. A publish
 * takes the channel's lock, appends, and hands the publication to the node's listener before
 * releasing it, which gives the listener every channel's publications in offset order; no lock is
 * held across channels.
 *
 * <p>A channel exists from its first use until it has no node subscription, no presence and no
 * history left (history expires by its TTL); after that it is forgotten, and the next use starts
 * a new epoch. A sweeper thread expires history, message ids and idle channels once a second.
 *
 * <p>Everything completes at once: the returned stages are already done.
 */
public final class InMemoryBroker implements Broker {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    private volatile BrokerListener listener;

    public InMemoryBroker() {
        this(Clock.systemUTC(), Duration.ofSeconds(1));
    }

    /** For tests: a clock to expire by, and how often the sweeper runs. */
    public InMemoryBroker(Clock clock, Duration sweepEvery) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-broker-sweeper");
            t.setDaemon(true);
            return t;
        });
        long every = sweepEvery.toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void start(BrokerListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public CompletionStage<PublishResult> publish(
            String channel, ChannelOptions options, String data, ClientInfo info, String mid) {
        long now = clock.millis();
        while (true) {
            Channel c = channels.computeIfAbsent(channel, Channel::new);
            synchronized (c) {
                if (c.forgotten) {
                    continue; // the sweeper dropped it between lookup and lock; take the new one
                }
                String key = mid == null ? null : (info == null ? "" : info.user()) + '\u0000' + mid;
                if (key != null && options.dedupWindow() > 0) {
                    c.expireIds(now, options);
                    Long known = c.recentIds.get(key);
                    if (known != null) {
                        return CompletableFuture.completedFuture(
                                new PublishResult(new StreamPosition(known, c.epoch), true));
                    }
                }
                Publication p = new Publication(channel, ++c.top, data, info, mid, now);
                if (options.historySize() > 0) {
                    c.history.addLast(p);
                    while (c.history.size() > options.historySize()) {
                        c.history.removeFirst();
                    }
                }
                c.ttl = options.historyTtl().toMillis();
                if (key != null && options.dedupWindow() > 0) {
                    c.recentIds.put(key, p.offset());
                    c.idTimes.addLast(now);
                    c.idKeys.addLast(key);
                    while (c.recentIds.size() > options.dedupWindow()) {
                        c.dropOldestId();
                    }
                    c.idTtl = options.dedupTtl().toMillis();
                }
                BrokerListener l = listener;
                if (l != null) {
                    l.onPublication(p);
                }
                return CompletableFuture.completedFuture(
                        new PublishResult(new StreamPosition(p.offset(), c.epoch), false));
            }
        }
    }

    @Override
    public CompletionStage<Void> subscribeNode(String channel) {
        while (true) {
            Channel c = channels.computeIfAbsent(channel, Channel::new);
            synchronized (c) {
                if (!c.forgotten) {
                    c.nodeSubscribed = true;
                    return CompletableFuture.completedFuture(null);
                }
            }
        }
    }

    @Override
    public void unsubscribeNode(String channel) {
        Channel c = channels.get(channel);
        if (c != null) {
            synchronized (c) {
                c.nodeSubscribed = false;
            }
        }
    }

    @Override
    public CompletionStage<HistoryResult> history(
            String channel, ChannelOptions options, StreamPosition since, int limit) {
        long now = clock.millis();
        while (true) {
            Channel c = channels.computeIfAbsent(channel, Channel::new);
            synchronized (c) {
                if (c.forgotten) {
                    continue;
                }
                c.expireHistory(now);
                return CompletableFuture.completedFuture(c.read(since, limit));
            }
        }
    }

    @Override
    public CompletionStage<Void> addPresence(String channel, ChannelOptions options, ClientInfo info) {
        while (true) {
            Channel c = channels.computeIfAbsent(channel, Channel::new);
            synchronized (c) {
                if (c.forgotten) {
                    continue;
                }
                if (c.presence.put(info.client(), info) == null) {
                    BrokerListener l = listener;
                    if (l != null) {
                        l.onJoin(channel, info);
                    }
                }
                return CompletableFuture.completedFuture(null);
            }
        }
    }

    @Override
    public CompletionStage<Void> removePresence(String channel, ChannelOptions options, ClientInfo info) {
        Channel c = channels.get(channel);
        if (c != null) {
            synchronized (c) {
                if (c.presence.remove(info.client()) != null) {
                    BrokerListener l = listener;
                    if (l != null) {
                        l.onLeave(channel, info);
                    }
                }
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<List<ClientInfo>> presence(String channel) {
        Channel c = channels.get(channel);
        if (c == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        synchronized (c) {
            return CompletableFuture.completedFuture(List.copyOf(c.presence.values()));
        }
    }

    /** How many channels the broker holds now. */
    public int channelCount() {
        return channels.size();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    /** Expires history and message ids, and forgets channels nothing holds any more. */
    void sweep() {
        long now = clock.millis();
        for (Iterator<Channel> it = channels.values().iterator(); it.hasNext(); ) {
            Channel c = it.next();
            synchronized (c) {
                c.expireHistory(now);
                c.expireIds(now, null);
                if (!c.nodeSubscribed && c.presence.isEmpty() && c.history.isEmpty() && c.recentIds.isEmpty()) {
                    c.forgotten = true;
                    it.remove();
                }
            }
        }
    }

    private static String newEpoch() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** One channel's state; guarded by its own monitor. */
    private static final class Channel {
        final String name;
        final String epoch = newEpoch();
        long top;
        final ArrayDeque<Publication> history = new ArrayDeque<>();
        long ttl;
        final Map<String, Long> recentIds = new LinkedHashMap<>();
        final ArrayDeque<String> idKeys = new ArrayDeque<>();
        final ArrayDeque<Long> idTimes = new ArrayDeque<>();
        long idTtl;
        final Map<String, ClientInfo> presence = new LinkedHashMap<>();
        boolean nodeSubscribed;
        boolean forgotten;

        Channel(String name) {
            this.name = name;
        }

        void expireHistory(long now) {
            while (!history.isEmpty() && now - history.peekFirst().time() >= ttl) {
                history.removeFirst();
            }
        }

        void expireIds(long now, ChannelOptions options) {
            long limit = options == null ? idTtl : options.dedupTtl().toMillis();
            while (!idTimes.isEmpty() && now - idTimes.peekFirst() >= limit) {
                dropOldestId();
            }
        }

        void dropOldestId() {
            recentIds.remove(idKeys.removeFirst());
            idTimes.removeFirst();
        }

        HistoryResult read(StreamPosition since, int limit) {
            StreamPosition now = new StreamPosition(top, epoch);
            if (since == null) {
                int skip = Math.max(0, history.size() - limit);
                List<Publication> out = new ArrayList<>(Math.min(limit, history.size()));
                int i = 0;
                for (Publication p : history) {
                    if (i++ >= skip) {
                        out.add(p);
                    }
                }
                return new HistoryResult(now, out, HistoryResult.Outcome.COMPLETE);
            }
            if (!since.epoch().equals(epoch)) {
                return new HistoryResult(now, List.of(), HistoryResult.Outcome.EPOCH_CHANGED);
            }
            if (since.offset() > top) {
                return new HistoryResult(now, List.of(), HistoryResult.Outcome.FUTURE_OFFSET);
            }
            long oldest = history.isEmpty() ? top + 1 : history.peekFirst().offset();
            if (since.offset() + 1 < oldest) {
                return new HistoryResult(now, List.of(), HistoryResult.Outcome.TOO_SHORT);
            }
            List<Publication> out = new ArrayList<>();
            for (Publication p : history) {
                if (p.offset() > since.offset() && out.size() < limit) {
                    out.add(p);
                }
            }
            return new HistoryResult(now, out, HistoryResult.Outcome.COMPLETE);
        }
    }
}
