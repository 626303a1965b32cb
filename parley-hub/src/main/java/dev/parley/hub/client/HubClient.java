package dev.parley.hub.client;

import dev.parley.hub.ClientInfo;
import dev.parley.hub.Disconnect;
import dev.parley.hub.ErrorCode;
import dev.parley.hub.Publication;
import dev.parley.hub.StreamPosition;
import dev.parley.websocket.WebSocketClient;
import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketSession;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;

/**
 * The Java client of the Parley hub (docs/PROTOCOL.md): connect, subscribe with a handler, publish
 * with a future completed by the server's acknowledgement, presence and history, with reliability
 * built in.
 *
 * <pre>{@code
 * HubClient client = HubClient.builder(URI.create("ws://localhost:8080/hub")).token(token).build();
 * client.onState(change -> System.out.println(change));
 * client.subscribe("chat:lobby", new SubscriptionHandler() {
 *     public void onPublication(Publication p) { show(p.data()); }
 * });
 * client.connect().join();
 * client.publish("chat:lobby", "{\"text\":\"hi\"}").thenAccept(ack -> markSent(ack.offset()));
 * }</pre>
 *
 * <p><b>Reliability.</b> When the connection drops, the client reconnects by itself after an
 * exponential backoff with full jitter (or after the delay the server gave, when it disconnected
 * with one), resubscribes every channel with the position of the last publication it delivered,
 * and the server replays what was missed before anything newer; nothing reaches a handler twice
 * or out of order. Publishes not yet acknowledged wait in an outbox (bounded, 10,000 by default)
 * and are sent again with their original message ids, so the server delivers each once. A server
 * that sends nothing for its ping interval plus its pong timeout is taken for dead and the
 * connection dropped. Disconnect codes 3500–3999 (refused credentials, unsupported version) end
 * the client: state CLOSED, pending futures failed.
 *
 * <p><b>Threading.</b> The client keeps its state on a thread of its own; every handler and state
 * listener is called there, one call at a time, so a handler must not block for long. Every public
 * method may be called from any thread and returns at once.
 *
 * <p><b>Lifecycle.</b> {@link #connect()} starts it; {@link #close()} ends it for good, failing
 * whatever is pending with {@link IllegalStateException}.
 */
public final class HubClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.parley.hub.client");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final URI uri;
    private final String token;
    private final String clientName;
    private final String clientVersion;
    private final int outboxLimit;
    private final Duration requestTimeout;
    private final Backoff backoff;
    private final WebSocketClient webSocket;
    private final boolean ownsWebSocket;
    private final ScheduledThreadPoolExecutor thread;
    private final String midPrefix;
    private final List<Consumer<StateChange>> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();

    // Everything below is touched on `thread` only.
    private volatile ConnectionState state = ConnectionState.DISCONNECTED;
    private WebSocketSession session;
    private int generation;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final LinkedHashMap<String, Outgoing> outbox = new LinkedHashMap<>();
    private final Map<Long, Pending> pending = new HashMap<>();
    private long nextId;
    private long nextMid;
    private int attempt;
    private long serverDelay = -1;
    /** The thread handlers run on, to let {@link #close()} work when called from one. */
    private volatile Thread clientThread;
    /**
     * The code and reason of the server's last {@code disconnect} message on this connection, or 0:
     * they say whether to come back, whatever close code the transport ends with (a proxy may
     * close with 1000 or 1006, and transports without close codes will carry the same message).
     */
    private int disconnectCode;

    private String disconnectReason = "";
    private long pingMillis;
    private long pongMillis;
    private ScheduledFuture<?> deadTimer;
    private ScheduledFuture<?> reconnectTimer;
    private volatile String clientId = "";

    /** A publish not yet acknowledged. */
    private record Outgoing(String channel, String data, String mid, CompletableFuture<PublishAck> future) {}

    /** A command waiting for its reply. */
    private record Pending(String type, String key, CompletableFuture<Object> future) {}

    private HubClient(Builder b) {
        this.uri = b.uri;
        this.token = b.token;
        this.clientName = b.clientName;
        this.clientVersion = b.clientVersion;
        this.outboxLimit = b.outboxLimit;
        this.requestTimeout = b.requestTimeout;
        this.backoff = new Backoff(b.backoffMin, b.backoffMax, b.random);
        this.ownsWebSocket = b.webSocket == null;
        this.webSocket =
                b.webSocket != null ? b.webSocket : WebSocketClient.builder().build();
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "parley-hub-client");
            t.setDaemon(true);
            clientThread = t;
            return t;
        });
        this.thread.setRemoveOnCancelPolicy(true);
        // close() fails every pending request itself: their timeouts must not keep the thread alive.
        this.thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        byte[] prefix = new byte[6];
        RANDOM.nextBytes(prefix);
        this.midPrefix = Base64.getUrlEncoder().withoutPadding().encodeToString(prefix);
    }

    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    // ---- public API ----------------------------------------------------------------------------

    /** Connects; the future completes at the first {@code connected} (and fails if the client closes first). */
    public CompletableFuture<Void> connect() {
        run(() -> {
            if (state == ConnectionState.DISCONNECTED && session == null && reconnectTimer == null) {
                open();
            }
        });
        return firstConnect;
    }

    /** Listens to connection state changes (on the client's thread). */
    public void onState(Consumer<StateChange> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public ConnectionState state() {
        return state;
    }

    /** The server's id for the current connection, empty before the first {@code connected}. */
    public String clientId() {
        return clientId;
    }

    /**
     * Subscribes to a channel: live now if connected, else from the next connection on, and again
     * after every reconnect, recovering what was missed.
     */
    public Subscription subscribe(String channel, SubscriptionHandler handler) {
        Subscription sub = new Subscription(
                this, Objects.requireNonNull(channel, "channel"), Objects.requireNonNull(handler, "handler"));
        run(() -> {
            if (state == ConnectionState.CLOSED) {
                return;
            }
            if (subscriptions.containsKey(channel)) {
                call(() -> handler.onError(
                        new HubErrorException(ErrorCode.ALREADY_SUBSCRIBED, "already subscribed to " + channel)));
                return;
            }
            subscriptions.put(channel, sub);
            if (state == ConnectionState.CONNECTED) {
                sendSubscribe(sub);
            }
        });
        return sub;
    }

    /**
     * Publishes one JSON value in a channel. The future completes with the server's
     * acknowledgement; while disconnected the publish waits in the outbox and is resent with the
     * same message id. It fails at once when the outbox is full or the client closed, and with
     * {@link HubErrorException} when the server refuses it.
     */
    public CompletableFuture<PublishAck> publish(String channel, String data) {
        Objects.requireNonNull(channel, "channel");
        Wire.requireValue(data);
        CompletableFuture<PublishAck> future = new CompletableFuture<>();
        run(() -> {
            if (state == ConnectionState.CLOSED) {
                future.completeExceptionally(new IllegalStateException("the client is closed"));
                return;
            }
            if (outbox.size() >= outboxLimit) {
                future.completeExceptionally(new IllegalStateException(
                        "the outbox holds " + outboxLimit + " unacknowledged publishes; wait for acks"));
                return;
            }
            Outgoing o = new Outgoing(channel, data, midPrefix + "-" + (++nextMid), future);
            outbox.put(o.mid, o);
            if (state == ConnectionState.CONNECTED) {
                sendPublish(o);
            }
        });
        return future;
    }

    /** How many publishes wait for their acknowledgement. */
    public CompletableFuture<Integer> outboxSize() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        run(() -> f.complete(outbox.size()));
        return f;
    }

    /** Who is in a channel (where the server keeps presence). Needs a connection. */
    public CompletableFuture<List<ClientInfo>> presence(String channel) {
        return request("presence", out -> out.writeStringField("channel", channel), m -> {
            List<ClientInfo> clients = new ArrayList<>();
            for (Map<String, Object> c : Wire.list(m, "clients")) {
                clients.add(Wire.info(c));
            }
            return clients;
        });
    }

    /** The latest {@code limit} publications of a channel (at most 100), oldest first. Needs a connection. */
    public CompletableFuture<HistoryPage> history(String channel, int limit) {
        return history(channel, null, limit);
    }

    /** The publications after {@code since}, oldest first, at most {@code limit}. Needs a connection. */
    public CompletableFuture<HistoryPage> history(String channel, StreamPosition since, int limit) {
        return request(
                "history",
                out -> {
                    out.writeStringField("channel", channel);
                    out.writeNumberField("limit", limit);
                    if (since != null) {
                        out.writeObjectFieldStart("since");
                        out.writeNumberField("offset", since.offset());
                        out.writeStringField("epoch", since.epoch());
                        out.writeEndObject();
                    }
                },
                m -> {
                    List<Publication> list = new ArrayList<>();
                    for (Map<String, Object> p : Wire.list(m, "publications")) {
                        list.add(Wire.publication(channel, p));
                    }
                    return new HistoryPage(new StreamPosition(Wire.num(m, "offset"), Wire.str(m, "epoch")), list);
                });
    }

    /** The round trip to the server through the hub's own ping. Needs a connection. */
    public CompletableFuture<Duration> ping() {
        long start = System.nanoTime();
        return request("ping", out -> {}, m -> Duration.ofNanos(System.nanoTime() - start));
    }

    /** Ends the client for good: closes the connection, fails what is pending, stops its thread. */
    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable closing = () -> {
            if (state != ConnectionState.CLOSED) {
                if (session != null) {
                    session.close(1000, "client closed");
                    session = null;
                }
                generation++;
                end(1000, "client closed");
            }
            done.complete(null);
        };
        if (Thread.currentThread() == clientThread) {
            closing.run(); // from a handler: the queue would only reach it after this call returns
        } else {
            run(closing);
            done.orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        thread.shutdown();
        if (ownsWebSocket) {
            webSocket.close();
        }
    }

    CompletableFuture<Void> unsubscribe(Subscription sub) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        run(() -> {
            if (subscriptions.get(sub.channel()) != sub) {
                f.complete(null);
                return;
            }
            subscriptions.remove(sub.channel());
            if (state != ConnectionState.CONNECTED) {
                f.complete(null);
                return;
            }
            long id = ++nextId;
            CompletableFuture<Object> reply = new CompletableFuture<>();
            pending.put(id, new Pending("unsubscribe", sub.channel(), reply));
            timeout(id);
            send(Wire.command("unsubscribe", id, out -> out.writeStringField("channel", sub.channel())));
            reply.whenComplete((v, e) -> {
                if (e != null) {
                    f.completeExceptionally(e);
                } else {
                    f.complete(null);
                }
            });
        });
        return f;
    }

    // ---- connection lifecycle --------------------------------------------------------------

    private void open() {
        reconnectTimer = null;
        setState(new StateChange(ConnectionState.CONNECTING, 0, "", 0));
        int gen = ++generation;
        webSocket
                .connect(uri, new Listener(gen))
                .whenComplete((s, error) -> run(() -> {
                    if (gen != generation) {
                        if (s != null) {
                            s.abort();
                        }
                        return;
                    }
                    if (error != null) {
                        Throwable cause = error.getCause() != null ? error.getCause() : error;
                        lost(
                                1006,
                                "cannot connect: "
                                        + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
                        return;
                    }
                    session = s;
                    sendConnect();
                }));
    }

    private void sendConnect() {
        long id = ++nextId;
        pending.put(id, new Pending("connect", "", new CompletableFuture<>()));
        send(Wire.command("connect", id, out -> {
            out.writeNumberField("version", 1);
            if (!token.isEmpty()) {
                out.writeStringField("token", token);
            }
            out.writeObjectFieldStart("client");
            out.writeStringField("name", clientName);
            out.writeStringField("version", clientVersion);
            out.writeEndObject();
            if (!subscriptions.isEmpty()) {
                out.writeArrayFieldStart("subscriptions");
                for (Subscription s : subscriptions.values()) {
                    out.writeStartObject();
                    out.writeStringField("channel", s.channel());
                    if (s.epoch != null) {
                        out.writeNumberField("offset", s.offset);
                        out.writeStringField("epoch", s.epoch);
                    }
                    out.writeEndObject();
                }
                out.writeEndArray();
            }
        }));
        // A server that never answers connect is as dead as one that stops pinging.
        armDeadTimer(requestTimeout.toMillis());
    }

    /** The connection ended (or could not be made): decide between reconnecting and stopping. */
    private void lost(int code, String reason) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        session = null;
        generation++;
        cancel(deadTimer);
        if (disconnectCode != 0) {
            code = disconnectCode;
            reason = disconnectReason;
            disconnectCode = 0;
            disconnectReason = "";
        }
        for (Pending p : pending.values()) {
            if (!p.type.equals("publish") && !p.type.equals("connect") && !p.type.equals("subscribe")) {
                p.future.completeExceptionally(new IllegalStateException("connection lost (" + code + ")"));
            }
        }
        pending.clear();
        setState(new StateChange(ConnectionState.DISCONNECTED, code, reason, 0));
        if (code >= 3500 && code <= 3999) {
            end(code, reason);
            return;
        }
        long delay = serverDelay >= 0 ? serverDelay : backoff.delay(attempt);
        attempt++;
        serverDelay = -1;
        setState(new StateChange(ConnectionState.RECONNECTING, 0, "", delay));
        reconnectTimer = thread.schedule(() -> guarded(this::open), delay, TimeUnit.MILLISECONDS);
    }

    /** For good: fail everything and stop. */
    private void end(int code, String reason) {
        cancel(deadTimer);
        cancel(reconnectTimer);
        IllegalStateException why = new IllegalStateException(
                "the client is closed (" + code + (reason.isEmpty() ? "" : " " + reason) + ")");
        for (Outgoing o : outbox.values()) {
            o.future.completeExceptionally(why);
        }
        outbox.clear();
        for (Pending p : pending.values()) {
            p.future.completeExceptionally(why);
        }
        pending.clear();
        firstConnect.completeExceptionally(why);
        setState(new StateChange(ConnectionState.CLOSED, code, reason, 0));
    }

    /** Drops the current connection as dead or broken, and reconnects. */
    private void drop(String reason) {
        if (session != null) {
            LOG.log(Level.INFO, () -> "hub client dropping its connection: " + reason);
            session.abort();
        }
        lost(1006, reason);
    }

    private void armDeadTimer(long millis) {
        cancel(deadTimer);
        int gen = generation;
        deadTimer = thread.schedule(
                () -> guarded(() -> {
                    if (gen == generation && session != null) {
                        drop("nothing from the server for " + millis + " ms");
                    }
                }),
                millis,
                TimeUnit.MILLISECONDS);
    }

    // ---- messages from the server ----------------------------------------------------------------

    private final class Listener implements WebSocketHandler {
        private final int gen;

        Listener(int gen) {
            this.gen = gen;
        }

        @Override
        public void onText(WebSocketSession s, String text) {
            run(() -> {
                if (gen == generation) {
                    receive(text);
                }
            });
        }

        @Override
        public void onClose(WebSocketSession s, int code, String reason, boolean clean) {
            run(() -> {
                if (gen == generation) {
                    lost(code, reason);
                }
            });
        }
    }

    private void receive(String text) {
        Map<String, Object> m;
        try {
            m = Wire.read(text);
        } catch (IOException e) {
            drop("the server sent something that is not JSON");
            return;
        }
        if (pingMillis > 0) {
            armDeadTimer(pingMillis + pongMillis);
        }
        String type = Wire.str(m, "type");
        Pending p = m.containsKey("id") ? pending.remove(Wire.num(m, "id")) : null;
        switch (type) {
            case "connected" -> connected(m);
            case "subscribed" -> subscribed(m);
            case "pub" -> {
                Subscription sub = subscriptions.get(Wire.str(m, "channel"));
                if (sub != null) {
                    deliver(sub, Wire.publication(sub.channel(), m));
                }
            }
            case "ack" -> {
                Outgoing o = outbox.remove(Wire.str(m, "mid"));
                if (o != null) {
                    o.future.complete(new PublishAck(
                            o.channel, Wire.num(m, "offset"), Wire.str(m, "epoch"), Wire.bool(m, "duplicate")));
                }
            }
            case "join", "leave" -> {
                Subscription sub = subscriptions.get(Wire.str(m, "channel"));
                ClientInfo info = Wire.info(Wire.obj(m, "info"));
                if (sub != null && info != null) {
                    call(() -> {
                        if (type.equals("join")) {
                            sub.handler.onJoin(info);
                        } else {
                            sub.handler.onLeave(info);
                        }
                    });
                }
            }
            case "ping" -> {
                if (p == null) {
                    send("{\"type\":\"pong\"}");
                }
            }
            case "disconnect" -> {
                disconnectCode = (int) Wire.num(m, "code");
                disconnectReason = Wire.str(m, "reason");
                long delay = Wire.num(m, "delay");
                serverDelay = Disconnect.shouldReconnect(disconnectCode) ? delay : -1;
                if (delay == 0) {
                    serverDelay = -1; // no delay given: the client's own backoff
                }
            }
            case "error" -> failed(p, ErrorCode.of((int) Wire.num(m, "code")), Wire.str(m, "message"));
            default -> {}
        }
        if (p != null && !type.equals("error")) {
            p.future.complete(m);
        }
    }

    private void connected(Map<String, Object> m) {
        clientId = Wire.str(m, "client");
        pingMillis = Wire.num(m, "ping");
        pongMillis = Wire.num(m, "pong");
        if (pingMillis > 0) {
            armDeadTimer(pingMillis + pongMillis);
        } else {
            cancel(deadTimer);
        }
        attempt = 0;
        setState(new StateChange(ConnectionState.CONNECTED, 0, "", 0));
        for (Map<String, Object> s : Wire.list(m, "subscriptions")) {
            subscribed(s);
        }
        // Subscriptions made while the connect was on its way.
        for (Subscription sub : subscriptions.values()) {
            if (sub.epoch == null && !awaitingReply(sub.channel())) {
                boolean inConnect = false;
                for (Map<String, Object> s : Wire.list(m, "subscriptions")) {
                    inConnect |= Wire.str(s, "channel").equals(sub.channel());
                }
                if (!inConnect) {
                    sendSubscribe(sub);
                }
            }
        }
        for (Outgoing o : List.copyOf(outbox.values())) {
            sendPublish(o);
        }
        firstConnect.complete(null);
    }

    private boolean awaitingReply(String channel) {
        for (Pending p : pending.values()) {
            if (p.type.equals("subscribe") && p.key.equals(channel)) {
                return true;
            }
        }
        return false;
    }

    /** A subscription's result, from {@code subscribed} or an entry of {@code connected}. */
    private void subscribed(Map<String, Object> m) {
        Subscription sub = subscriptions.get(Wire.str(m, "channel"));
        if (sub == null) {
            return; // unsubscribed meanwhile
        }
        Map<String, Object> error = Wire.obj(m, "error");
        if (!error.isEmpty()) {
            subscriptions.remove(sub.channel());
            HubErrorException e =
                    new HubErrorException(ErrorCode.of((int) Wire.num(error, "code")), Wire.str(error, "message"));
            call(() -> sub.handler.onError(e));
            return;
        }
        String epoch = Wire.str(m, "epoch");
        long top = Wire.num(m, "offset");
        boolean asked = m.containsKey("recovered");
        boolean recovered = Wire.bool(m, "recovered");
        if (asked && recovered) {
            for (Map<String, Object> p : Wire.list(m, "publications")) {
                deliver(sub, Wire.publication(sub.channel(), p));
            }
        }
        sub.epoch = epoch;
        sub.offset = top;
        String reason = asked && !recovered ? Wire.str(m, "reason") : "";
        call(() -> sub.handler.onSubscribed(!asked || recovered, reason));
    }

    /** Hands a publication to its handler, once and in order; a gap means reconnect and recover. */
    private void deliver(Subscription sub, Publication p) {
        if (sub.epoch == null || p.offset() <= sub.offset) {
            return;
        }
        if (p.offset() != sub.offset + 1) {
            drop("offset " + p.offset() + " after " + sub.offset + " in " + sub.channel());
            return;
        }
        sub.offset = p.offset();
        call(() -> sub.handler.onPublication(p));
    }

    private void failed(Pending p, ErrorCode code, String message) {
        if (p == null) {
            LOG.log(Level.WARNING, "hub error with no command to answer: " + code.wireName() + " " + message);
            return;
        }
        HubErrorException e = new HubErrorException(code, message);
        switch (p.type) {
            case "publish" -> {
                Outgoing o = outbox.remove(p.key);
                if (o != null) {
                    o.future.completeExceptionally(e);
                }
            }
            case "subscribe" -> {
                Subscription sub = subscriptions.remove(p.key);
                if (sub != null) {
                    call(() -> sub.handler.onError(e));
                }
            }
            default -> p.future.completeExceptionally(e);
        }
    }

    // ---- commands ----------------------------------------------------------------------------------

    private void sendSubscribe(Subscription sub) {
        long id = ++nextId;
        pending.put(id, new Pending("subscribe", sub.channel(), new CompletableFuture<>()));
        send(Wire.command("subscribe", id, out -> {
            out.writeStringField("channel", sub.channel());
            if (sub.epoch != null) {
                out.writeObjectFieldStart("recover");
                out.writeNumberField("offset", sub.offset);
                out.writeStringField("epoch", sub.epoch);
                out.writeEndObject();
            }
        }));
    }

    private void sendPublish(Outgoing o) {
        long id = ++nextId;
        pending.put(id, new Pending("publish", o.mid, new CompletableFuture<>()));
        send(Wire.command("publish", id, out -> {
            out.writeStringField("channel", o.channel);
            out.writeStringField("mid", o.mid);
            out.writeFieldName("data");
            out.writeRawValue(o.data);
        }));
    }

    private <T> CompletableFuture<T> request(String type, Wire.Body body, Function<Map<String, Object>, T> answer) {
        CompletableFuture<T> result = new CompletableFuture<>();
        run(() -> {
            if (state != ConnectionState.CONNECTED) {
                result.completeExceptionally(new IllegalStateException("not connected (" + state + ")"));
                return;
            }
            long id = ++nextId;
            CompletableFuture<Object> reply = new CompletableFuture<>();
            pending.put(id, new Pending(type, "", reply));
            timeout(id);
            send(Wire.command(type, id, body));
            reply.whenComplete((m, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> map = (Map<String, Object>) m;
                    result.complete(answer.apply(map));
                }
            });
        });
        return result;
    }

    private void timeout(long id) {
        thread.schedule(
                () -> guarded(() -> {
                    Pending p = pending.remove(id);
                    if (p != null) {
                        p.future.completeExceptionally(
                                new TimeoutException("no reply within " + requestTimeout.toMillis() + " ms"));
                    }
                }),
                requestTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void send(String json) {
        if (session != null) {
            session.send(json);
        }
    }

    // ---- plumbing ----------------------------------------------------------------------------------

    private void setState(StateChange change) {
        state = change.state();
        for (Consumer<StateChange> l : listeners) {
            call(() -> l.accept(change));
        }
    }

    private void run(Runnable task) {
        try {
            thread.execute(() -> guarded(task));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: nothing more happens
        }
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "hub client failed", e);
        }
    }

    /** Calls application code: its exceptions are logged, never let loose on the client. */
    private static void call(Runnable handlerCall) {
        try {
            handlerCall.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a hub client handler threw", e);
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    /** Configures a {@link HubClient}; every setting has a default. */
    public static final class Builder {
        private final URI uri;
        private String token = "";
        private String clientName = "parley-java";
        private String clientVersion = "0.1.0";
        private Duration backoffMin = Duration.ofMillis(250);
        private Duration backoffMax = Duration.ofSeconds(20);
        private LongUnaryOperator random = bound -> ThreadLocalRandom.current().nextLong(bound + 1);
        private int outboxLimit = 10_000;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private WebSocketClient webSocket;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** Credentials for the server's connect hook (default none). */
        public Builder token(String token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /** The name and version the server sees in presence (default parley-java 0.1.0). */
        public Builder client(String name, String version) {
            this.clientName = Objects.requireNonNull(name, "name");
            this.clientVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /** Reconnect delays: full jitter under min × 2^attempt, capped at max (default 250 ms, 20 s). */
        public Builder backoff(Duration min, Duration max) {
            if (min.isNegative() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("backoff needs 0 <= min <= max");
            }
            this.backoffMin = min;
            this.backoffMax = max;
            return this;
        }

        /** The random source of the jitter: given a bound, a value in [0, bound]. For tests. */
        public Builder jitter(LongUnaryOperator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Unacknowledged publishes kept for resending (default 10,000); beyond it publish fails at once. */
        public Builder outboxLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("the outbox holds at least one publish");
            }
            this.outboxLimit = limit;
            return this;
        }

        /** How long presence, history, ping and connect wait for their reply (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** A WebSocket client to share (default: one of its own, closed with the hub client). */
        public Builder webSocketClient(WebSocketClient client) {
            this.webSocket = Objects.requireNonNull(client, "client");
            return this;
        }

        public HubClient build() {
            return new HubClient(this);
        }
    }
}
