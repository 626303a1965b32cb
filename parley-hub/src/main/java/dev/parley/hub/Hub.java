package dev.parley.hub;

import dev.parley.hub.broker.Broker;
import dev.parley.hub.broker.HistoryResult;
import dev.parley.hub.broker.InMemoryBroker;
import dev.parley.hub.internal.ChannelNames;
import dev.parley.hub.internal.CommandException;
import dev.parley.hub.internal.HubCore;
import dev.parley.hub.internal.HubSession;
import dev.parley.hub.internal.HubWebSocketHandler;
import dev.parley.hub.internal.Json;
import dev.parley.hub.transport.Transport;
import dev.parley.hub.transport.TransportListener;
import dev.parley.websocket.WebSocketHandler;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hub: channels with a total order, history and recovery, acknowledged idempotent publishing
 * and presence, for clients on any transport. An application embeds one, puts its
 * {@link #webSocketHandler()} on a route of a {@code WebSocketServer}, and may publish from server
 * code. The wire protocol is docs/PROTOCOL.md; the guide is docs/hub.md.
 *
 * <pre>{@code
 * Hub hub = Hub.builder()
 *         .namespace("chat", ChannelOptions.defaults().withPresence(true).withClientPublish(true))
 *         .build();
 * WebSocketServer server = WebSocketServer.builder()
 *         .port(8080)
 *         .route("/hub", hub.webSocketHandler())
 *         .build()
 *         .start();
 * hub.publish("chat:lobby", "{\"text\":\"welcome\"}");
 * }</pre>
 *
 * <p>Threading: thread-safe. Each session runs on its transport's executor (its event loop), and
 * so do the hooks; nothing the hub does blocks. The route must not use virtual-thread handlers:
 * the hub does its work on the event loop itself.
 *
 * <p>Lifecycle: {@link #shutdown} disconnects every session with code 3000 and a random delay, so
 * that clients come back spread out rather than all at once; {@link #close} also releases the
 * broker.
 */
public final class Hub implements AutoCloseable {
    private final HubCore core;
    private final Broker broker;
    private final HubWebSocketHandler webSocketHandler;

    private Hub(HubConfig config, Broker broker) {
        this.broker = broker;
        this.core = new HubCore(config, broker);
        this.webSocketHandler = new HubWebSocketHandler(core);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The handler to put on a WebSocket route ({@code /hub} in {@code parley serve}). */
    public WebSocketHandler webSocketHandler() {
        return webSocketHandler;
    }

    /**
     * Starts a hub session on a transport; the transport passes the client's messages to the
     * returned listener. For transports other than the built-in WebSocket one.
     */
    public TransportListener open(Transport transport) {
        return core.open(transport);
    }

    /**
     * Publishes from server code (no publisher info; namespace's client-publish option does not
     * apply).
     *
     * @param data one JSON value as text
     * @return the publication's position once the broker accepted it
     */
    public CompletableFuture<StreamPosition> publish(String channel, String data) {
        checkChannel(channel);
        Json.requireValue(data);
        return broker.publish(channel, core.config().options(channel), data, null, null)
                .thenApply(r -> {
                    core.counters().publications.increment();
                    return r.position();
                })
                .toCompletableFuture();
    }

    /** Who is in a channel (namespaces with presence on). */
    public CompletableFuture<List<ClientInfo>> presence(String channel) {
        checkChannel(channel);
        return broker.presence(channel).toCompletableFuture();
    }

    /** The latest {@code limit} publications of a channel, oldest first. */
    public CompletableFuture<List<Publication>> history(String channel, int limit) {
        checkChannel(channel);
        return broker.history(channel, core.config().options(channel), null, limit)
                .thenApply(HistoryResult::publications)
                .toCompletableFuture();
    }

    /** The counters at this moment. */
    public HubStats stats() {
        return core.stats();
    }

    public HubConfig config() {
        return core.config();
    }

    /**
     * Disconnects every session with code 3000 ("server shutting down"), each told to wait a random
     * delay up to the configured spread before reconnecting. Returns once every disconnect is
     * queued on its event loop.
     */
    public void shutdown() {
        long spread = core.config().shutdownSpread().toMillis();
        for (HubSession s : core.sessions()) {
            long delay = spread == 0 ? 0 : ThreadLocalRandom.current().nextLong(spread + 1);
            s.executorForShutdown()
                    .execute(() -> s.disconnect(new Disconnect(Disconnect.SHUTDOWN, "server shutting down", delay)));
        }
    }

    /** {@link #shutdown}, then stops the hub's timers and closes the broker. */
    @Override
    public void close() {
        shutdown();
        core.stopTimers();
        broker.close();
    }

    private static void checkChannel(String channel) {
        try {
            ChannelNames.check(channel, 0);
        } catch (CommandException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** Configures a hub; every setting has a default. */
    public static final class Builder {
        private Broker broker;
        private ChannelOptions defaults = ChannelOptions.defaults();
        private final Map<String, ChannelOptions> namespaces = new HashMap<>();
        private HubHooks hooks = new HubHooks() {};
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration pongTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private int maxMessageSize = 64 * 1024;
        private int maxSubscriptions = 256;
        private double commandsPerSecond = 100;
        private int commandBurst = 200;
        private long maxQueuedBytes = 1024 * 1024;
        private int maxHeldPublications = 10_000;
        private Duration shutdownSpread = Duration.ofSeconds(5);

        private Builder() {}

        /** The broker (default: a new {@link InMemoryBroker}). The hub closes it on {@link #close}. */
        public Builder broker(Broker broker) {
            this.broker = Objects.requireNonNull(broker, "broker");
            return this;
        }

        /** Options of channels in no configured namespace (default {@link ChannelOptions#defaults()}). */
        public Builder defaults(ChannelOptions options) {
            this.defaults = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Options of the channels named {@code name:...}. */
        public Builder namespace(String name, ChannelOptions options) {
            if (name.isEmpty() || name.contains(":")) {
                throw new IllegalArgumentException("a namespace is a non-empty name without ':'");
            }
            namespaces.put(name, Objects.requireNonNull(options, "options"));
            return this;
        }

        public Builder hooks(HubHooks hooks) {
            this.hooks = Objects.requireNonNull(hooks, "hooks");
            return this;
        }

        /** How often the server pings each session (default 25 s), and how long it waits for the pong (10 s). */
        public Builder heartbeat(Duration interval, Duration pongTimeout) {
            this.pingInterval = positive(interval, "ping interval");
            this.pongTimeout = positive(pongTimeout, "pong timeout");
            return this;
        }

        /** How long a connection may take to send {@code connect} (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connect timeout");
            return this;
        }

        /** The largest command, in UTF-8 bytes (default 64 KiB); larger ones get error 103. */
        public Builder maxMessageSize(int bytes) {
            this.maxMessageSize = atLeast(bytes, 1024, "max message size");
            return this;
        }

        /** Subscriptions per session (default 256). */
        public Builder maxSubscriptions(int count) {
            this.maxSubscriptions = atLeast(count, 1, "max subscriptions");
            return this;
        }

        /** Commands a session may send per second, and how many may come at once (default 100/s, 200). */
        public Builder commandRate(double perSecond, int burst) {
            if (!(perSecond > 0)) {
                throw new IllegalArgumentException("rate must be positive");
            }
            this.commandsPerSecond = perSecond;
            this.commandBurst = atLeast(burst, 1, "burst");
            return this;
        }

        /**
         * Bytes queued for one session past which it is disconnected as a slow consumer with code
         * 3001 (default 1 MiB, the WebSocket server's default outbound limit). A publication the transport
         * refuses (its own bound is lower) disconnects the same way: the client recovers it.
         */
        public Builder maxQueuedBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("max queued bytes must be at least 1024");
            }
            this.maxQueuedBytes = bytes;
            return this;
        }

        /** Publications held for a subscription while its recovery is read (default 10,000). */
        public Builder maxHeldPublications(int count) {
            this.maxHeldPublications = atLeast(count, 1, "max held publications");
            return this;
        }

        /** The longest reconnect delay given to clients on {@link Hub#shutdown} (default 5 s). */
        public Builder shutdownSpread(Duration spread) {
            if (spread.isNegative()) {
                throw new IllegalArgumentException("spread is negative");
            }
            this.shutdownSpread = spread;
            return this;
        }

        public Hub build() {
            HubConfig config = new HubConfig(
                    defaults,
                    namespaces,
                    hooks,
                    pingInterval,
                    pongTimeout,
                    connectTimeout,
                    maxMessageSize,
                    maxSubscriptions,
                    commandsPerSecond,
                    commandBurst,
                    maxQueuedBytes,
                    maxHeldPublications,
                    shutdownSpread);
            return new Hub(config, broker != null ? broker : new InMemoryBroker());
        }

        private static Duration positive(Duration d, String what) {
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }

        private static int atLeast(int value, int min, String what) {
            if (value < min) {
                throw new IllegalArgumentException(what + " must be at least " + min);
            }
            return value;
        }
    }
}
