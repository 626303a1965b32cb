package dev.parley.hub.internal;

import dev.parley.hub.HubConfig;
import dev.parley.hub.HubStats;
import dev.parley.hub.broker.Broker;
import dev.parley.hub.transport.Transport;
import dev.parley.hub.transport.TransportListener;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/** What every session of one hub shares: configuration, broker, fan-out, timers, counters. */
public final class HubCore {
    final HubConfig config;
    final Broker broker;
    final LocalChannels channels;
    final ScheduledExecutorService timer;
    final HubCounters counters = new HubCounters();
    final Set<HubSession> sessions = ConcurrentHashMap.newKeySet();
    private final String clientPrefix;
    private final AtomicLong nextClient = new AtomicLong();

    public HubCore(HubConfig config, Broker broker) {
        this.config = config;
        this.broker = broker;
        this.channels = new LocalChannels(broker);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-hub-timer");
            t.setDaemon(true);
            return t;
        });
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        this.clientPrefix = String.format("%02x%02x%02x", b[0], b[1], b[2]);
        broker.start(channels);
    }

    /** A new session for a transport; the transport feeds it through the returned listener. */
    public TransportListener open(Transport transport) {
        return new HubSession(this, transport);
    }

    /** A client id unique on this node and, with its random prefix, across nodes. */
    String newClientId() {
        return clientPrefix + '-' + Long.toString(nextClient.incrementAndGet(), 36);
    }

    public HubConfig config() {
        return config;
    }

    public HubCounters counters() {
        return counters;
    }

    public Set<HubSession> sessions() {
        return sessions;
    }

    public HubStats stats() {
        return new HubStats(
                sessions.size(),
                channels.count(),
                counters.commands.sum(),
                counters.publications.sum(),
                counters.deliveries.sum(),
                counters.recoveries.sum(),
                counters.recoveryFailures.sum(),
                counters.slowConsumers.sum(),
                counters.errors.sum());
    }

    public void stopTimers() {
        timer.shutdownNow();
    }
}
