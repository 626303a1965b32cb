package dev.parley.hub.internal;

import dev.parley.hub.ChannelOptions;
import dev.parley.hub.ClientInfo;
import dev.parley.hub.ConnectDecision;
import dev.parley.hub.ConnectRequest;
import dev.parley.hub.Disconnect;
import dev.parley.hub.ErrorCode;
import dev.parley.hub.Publication;
import dev.parley.hub.StreamPosition;
import dev.parley.hub.Verdict;
import dev.parley.hub.broker.HistoryResult;
import dev.parley.hub.transport.OutboundMessage;
import dev.parley.hub.transport.Transport;
import dev.parley.hub.transport.TransportListener;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client connection to the hub, whatever its transport: reads commands, answers them, and
 * delivers its subscriptions' publications in order.
 *
 * <p>Threading: everything runs on the transport's executor, so the session's state needs no
 * locks. Work that completes elsewhere (a broker call, a timer) comes back through
 * {@link Executor#execute}.
 *
 * <p>States: AWAITING_CONNECT until a {@code connect} is accepted, then CONNECTED, then CLOSED.
 */
public final class HubSession implements TransportListener {
    private static final System.Logger LOG = System.getLogger("dev.parley.hub.session");
    /** Consecutive rate-limited commands after which the session is disconnected for flooding. */
    private static final int FLOOD_LIMIT = 100;

    enum State {
        AWAITING_CONNECT,
        CONNECTED,
        CLOSED
    }

    private final HubCore core;
    private final Transport transport;
    private final Executor executor;
    private final TokenBucket bucket;
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private State state = State.AWAITING_CONNECT;
    private ClientInfo info;
    private int limitedInARow;
    private boolean awaitingPong;
    private long pings;
    private ScheduledFuture<?> connectTimer;
    private ScheduledFuture<?> heartbeat;

    HubSession(HubCore core, Transport transport) {
        this.core = core;
        this.transport = transport;
        this.executor = transport.executor();
        this.bucket = new TokenBucket(core.config.commandsPerSecond(), core.config.commandBurst(), System.nanoTime());
        this.connectTimer = core.timer.schedule(
                () -> executor.execute(this::connectTimedOut),
                core.config.connectTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    Executor executor() {
        return executor;
    }

    /** The executor to run {@link #disconnect} on. */
    public Executor executorForShutdown() {
        return executor;
    }

    /** The session's client info, or null before it is connected. */
    public ClientInfo info() {
        return info;
    }

    public String transportName() {
        return transport.name();
    }

    // ---- reading commands ------------------------------------------------------------------

    @Override
    public void onMessage(String text) {
        if (state == State.CLOSED) {
            return;
        }
        core.counters.commands.increment();
        awaitingPong = false; // any message proves the client alive
        if (!bucket.tryTake(System.nanoTime())) {
            if (++limitedInARow >= FLOOD_LIMIT) {
                LOG.log(Level.INFO, () -> "hub session " + describe() + " flooded; disconnecting");
                disconnect(new Disconnect(Disconnect.FLOOD, "too many commands", 5_000));
            } else {
                sendError(
                        CommandReader.peekId(text),
                        ErrorCode.RATE_LIMITED,
                        "more than " + core.config.commandsPerSecond() + " commands a second");
            }
            return;
        }
        limitedInARow = 0;
        if (tooLarge(text)) {
            sendError(
                    CommandReader.peekId(text),
                    ErrorCode.TOO_LARGE,
                    "command exceeds " + core.config.maxMessageSize() + " bytes");
            return;
        }
        Command command;
        try {
            command = CommandReader.read(text);
        } catch (CommandException e) {
            sendError(e.id(), e.code(), e.getMessage());
            return;
        }
        try {
            dispatch(command);
        } catch (CommandException e) {
            sendError(e.id(), e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "hub session " + describe() + " failed on "
                            + command.getClass().getSimpleName(),
                    e);
            sendError(command.id(), ErrorCode.INTERNAL, "the server failed to handle the command");
        }
    }

    private boolean tooLarge(String text) {
        int limit = core.config.maxMessageSize();
        if ((long) text.length() * 3 <= limit) {
            return false; // cannot exceed it even if every char took three bytes
        }
        return text.length() > limit || text.getBytes(StandardCharsets.UTF_8).length > limit;
    }

    private void dispatch(Command command) throws CommandException {
        if (command instanceof Command.Connect c) {
            connect(c);
            return;
        }
        if (state != State.CONNECTED) {
            throw new CommandException(ErrorCode.NOT_CONNECTED, command.id(), "send connect first");
        }
        if (command instanceof Command.Subscribe c) {
            subscribe(c);
        } else if (command instanceof Command.Unsubscribe c) {
            unsubscribe(c);
        } else if (command instanceof Command.Publish c) {
            publish(c);
        } else if (command instanceof Command.Presence c) {
            presence(c);
        } else if (command instanceof Command.History c) {
            history(c);
        } else if (command instanceof Command.Ping c && c.id() > 0) {
            send(Messages.pong(c.id()));
        }
        // A pong needs nothing more: every message already counts as one.
    }

    // ---- connect ---------------------------------------------------------------------------

    private void connect(Command.Connect c) throws CommandException {
        if (state == State.CONNECTED) {
            throw new CommandException(ErrorCode.ALREADY_CONNECTED, c.id(), "already connected");
        }
        if (c.version() != 1) {
            disconnect(new Disconnect(
                    Disconnect.UNSUPPORTED_VERSION,
                    "protocol version " + c.version() + " is not supported; this server speaks 1",
                    0));
            return;
        }
        ConnectDecision decision;
        try {
            decision = core.config
                    .hooks()
                    .onConnect(new ConnectRequest(c.token(), c.clientName(), c.clientVersion(), transport));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "connect hook failed for " + transport.remoteAddress(), e);
            disconnect(new Disconnect(Disconnect.SERVER_ERROR, "connect failed", 0));
            return;
        }
        if (!decision.accepted()) {
            LOG.log(
                    Level.INFO,
                    () -> "hub connect refused from " + transport.remoteAddress() + ": "
                            + decision.refusal().reason());
            disconnect(decision.refusal());
            return;
        }
        info = new ClientInfo(core.newClientId(), decision.user(), c.clientName(), c.clientVersion());
        state = State.CONNECTED;
        connectTimer.cancel(false);
        long ping = core.config.pingInterval().toMillis();
        heartbeat =
                core.timer.scheduleAtFixedRate(() -> executor.execute(this::beat), ping, ping, TimeUnit.MILLISECONDS);
        core.sessions.add(this);
        notifyHook(() -> core.config.hooks().onConnected(info));

        List<Subscription> started = new ArrayList<>();
        List<CompletableFuture<Messages.SubscribeOutcome>> outcomes = new ArrayList<>();
        List<Messages.SubscribeFailure> failed = new ArrayList<>();
        for (Command.Subscribe s : c.subscriptions()) {
            try {
                Subscription sub = start(s.channel(), s.id());
                started.add(sub);
                outcomes.add(recoverOrTop(sub, s.recover()).toCompletableFuture());
            } catch (CommandException e) {
                failed.add(new Messages.SubscribeFailure(s.channel(), e.code(), e.getMessage()));
            }
        }
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .whenComplete((v, error) -> executor.execute(() -> {
                    if (state == State.CLOSED) {
                        return;
                    }
                    List<Messages.SubscribeOutcome> done = new ArrayList<>();
                    List<Subscription> ready = new ArrayList<>();
                    for (int i = 0; i < started.size(); i++) {
                        Subscription sub = started.get(i);
                        CompletableFuture<Messages.SubscribeOutcome> f = outcomes.get(i);
                        if (f.isCompletedExceptionally()) {
                            drop(sub);
                            failed.add(new Messages.SubscribeFailure(
                                    sub.channel, ErrorCode.INTERNAL, "the broker failed"));
                        } else {
                            done.add(f.join());
                            ready.add(sub);
                        }
                    }
                    send(Messages.connected(
                            c.id(),
                            info.client(),
                            info.user(),
                            ping,
                            core.config.pongTimeout().toMillis(),
                            done,
                            failed));
                    for (int i = 0; i < ready.size(); i++) {
                        finish(ready.get(i), done.get(i));
                    }
                }));
    }

    private void connectTimedOut() {
        if (state == State.AWAITING_CONNECT) {
            LOG.log(Level.INFO, () -> "hub session from " + transport.remoteAddress() + " sent no connect in time");
            disconnect(new Disconnect(
                    Disconnect.BAD_REQUEST,
                    "no connect within " + core.config.connectTimeout().toMillis() + " ms",
                    0));
        }
    }

    // ---- subscriptions -----------------------------------------------------------------------

    private void subscribe(Command.Subscribe c) throws CommandException {
        Subscription sub = start(c.channel(), c.id());
        recoverOrTop(sub, c.recover())
                .whenComplete((outcome, error) -> executor.execute(() -> {
                    if (!sub.active) {
                        return; // unsubscribed or closed meanwhile
                    }
                    if (error != null) {
                        LOG.log(Level.WARNING, "broker failed to subscribe " + c.channel(), error);
                        drop(sub);
                        sendError(c.id(), ErrorCode.INTERNAL, "the broker failed");
                        return;
                    }
                    send(Messages.subscribed(c.id(), outcome));
                    finish(sub, outcome);
                }));
    }

    /** Checks a subscription and joins it to the fan-out, pending. */
    private Subscription start(String channel, long id) throws CommandException {
        ChannelNames.check(channel, id);
        if (subscriptions.containsKey(channel)) {
            throw new CommandException(ErrorCode.ALREADY_SUBSCRIBED, id, "already subscribed to " + channel);
        }
        if (subscriptions.size() >= core.config.maxSubscriptions()) {
            throw new CommandException(
                    ErrorCode.LIMIT_EXCEEDED, id, "more than " + core.config.maxSubscriptions() + " subscriptions");
        }
        permitted(core.config.hooks().onSubscribe(info, channel), id);
        Subscription sub = new Subscription(this, channel, core.config.options(channel));
        subscriptions.put(channel, sub);
        return sub;
    }

    /** Reads what the subscription needs from history once the node receives the channel. */
    private CompletionStage<Messages.SubscribeOutcome> recoverOrTop(Subscription sub, StreamPosition recover) {
        ChannelOptions options = sub.options;
        return core.channels
                .add(sub)
                .thenCompose(v ->
                        core.broker.history(sub.channel, options, recover, recover == null ? 0 : options.historySize()))
                .thenApply(h -> outcome(sub.channel, options, recover, h));
    }

    private static Messages.SubscribeOutcome outcome(
            String channel, ChannelOptions options, StreamPosition recover, HistoryResult h) {
        boolean recoverable = options.historySize() > 0;
        if (recover == null) {
            return new Messages.SubscribeOutcome(channel, h.top(), recoverable, false, false, null, List.of());
        }
        return switch (h.outcome()) {
            case COMPLETE ->
                new Messages.SubscribeOutcome(channel, h.top(), recoverable, true, true, null, h.publications());
            case TOO_SHORT ->
                new Messages.SubscribeOutcome(
                        channel, h.top(), recoverable, true, false, "history_too_short", List.of());
            case EPOCH_CHANGED, FUTURE_OFFSET ->
                new Messages.SubscribeOutcome(channel, h.top(), recoverable, true, false, "epoch_changed", List.of());
        };
    }

    /** The reply was sent: start delivering, beginning with what arrived while pending. */
    private void finish(Subscription sub, Messages.SubscribeOutcome outcome) {
        sub.position = outcome.top().offset();
        sub.epoch = outcome.top().epoch();
        sub.pending = false;
        if (outcome.recoveryAsked()) {
            (outcome.recovered() ? core.counters.recoveries : core.counters.recoveryFailures).increment();
        }
        List<Subscription.Held> held = sub.held;
        sub.held = null;
        if (held != null) {
            for (Subscription.Held h : held) {
                deliver(sub, h.publication(), h.message());
            }
        }
        if (sub.options.presence() && sub.active) {
            core.broker
                    .addPresence(sub.channel, sub.options, info)
                    .whenComplete((v, error) -> sub.presenceSettled.complete(null));
        } else if (sub.presenceSettled != null) {
            sub.presenceSettled.complete(null);
        }
    }

    private void unsubscribe(Command.Unsubscribe c) throws CommandException {
        Subscription sub = subscriptions.get(c.channel());
        if (sub == null) {
            throw new CommandException(ErrorCode.NOT_SUBSCRIBED, c.id(), "not subscribed to " + c.channel());
        }
        drop(sub);
        send(Messages.unsubscribed(c.id(), c.channel()));
    }

    /** Takes a subscription out of the fan-out and presence. */
    private void drop(Subscription sub) {
        sub.active = false;
        subscriptions.remove(sub.channel);
        core.channels.remove(sub);
        if (sub.options.presence() && !sub.pending) {
            core.broker.removePresence(sub.channel, sub.options, info);
        }
        if (sub.presenceSettled != null) {
            sub.presenceSettled.complete(null); // a query waiting on it answers without us
        }
    }

    // ---- delivery ----------------------------------------------------------------------------

    /** A publication for one of this session's subscriptions. On the executor. */
    void deliver(Subscription sub, Publication p, OutboundMessage message) {
        if (!sub.active || state == State.CLOSED) {
            return;
        }
        if (sub.pending) {
            sub.hold(p, message);
            if (sub.heldCount() > core.config.maxHeldPublications()) {
                slowConsumer("more than " + core.config.maxHeldPublications() + " publications held while subscribing");
            }
            return;
        }
        if (p.offset() <= sub.position) {
            return; // the subscribe reply carried it already
        }
        if (p.offset() != sub.position + 1) {
            LOG.log(
                    Level.WARNING,
                    "hub session " + describe() + " saw offset " + p.offset() + " after " + sub.position + " in "
                            + sub.channel + "; disconnecting it to recover");
            disconnect(new Disconnect(Disconnect.SERVER_ERROR, "gap in " + sub.channel + "; reconnect to recover", 0));
            return;
        }
        sub.position = p.offset();
        if (!transport.send(message)) {
            // The transport refused it (its own outbound bound, or it is closing): the client must
            // come back and recover rather than miss it.
            slowConsumer("the transport refused a publication");
            return;
        }
        core.counters.deliveries.increment();
        if (transport.queuedBytes() > core.config.maxQueuedBytes()) {
            slowConsumer(transport.queuedBytes() + " bytes queued, over the limit of " + core.config.maxQueuedBytes());
        }
    }

    /** A join or leave event for one of this session's subscriptions. On the executor. */
    void deliverEvent(Subscription sub, OutboundMessage message) {
        if (sub.active && !sub.pending && state == State.CONNECTED) {
            transport.send(message);
        }
    }

    private void slowConsumer(String why) {
        core.counters.slowConsumers.increment();
        LOG.log(Level.INFO, () -> "hub session " + describe() + " is a slow consumer (" + why + "); disconnecting");
        disconnect(new Disconnect(Disconnect.SLOW_CONSUMER, "slow consumer; reconnect and recover", 0));
    }

    // ---- publish, presence, history ----------------------------------------------------------

    private void publish(Command.Publish c) throws CommandException {
        ChannelNames.check(c.channel(), c.id());
        ChannelOptions options = core.config.options(c.channel());
        if (!options.clientPublish()) {
            throw new CommandException(
                    ErrorCode.PERMISSION_DENIED, c.id(), "clients may not publish in " + c.channel());
        }
        permitted(core.config.hooks().onPublish(info, c.channel(), c.data()), c.id());
        core.broker
                .publish(c.channel(), options, c.data(), info, c.mid())
                .whenComplete((r, error) -> executor.execute(() -> {
                    if (error != null) {
                        LOG.log(Level.WARNING, "broker failed to publish in " + c.channel(), error);
                        sendError(c.id(), ErrorCode.INTERNAL, "the broker failed; retry with the same mid");
                        return;
                    }
                    if (!r.duplicate()) {
                        core.counters.publications.increment();
                    }
                    if (state != State.CLOSED) {
                        send(Messages.ack(c.id(), c.channel(), c.mid(), r.position(), r.duplicate()));
                    }
                }));
    }

    private void presence(Command.Presence c) throws CommandException {
        ChannelNames.check(c.channel(), c.id());
        if (!core.config.options(c.channel()).presence()) {
            throw new CommandException(ErrorCode.NOT_AVAILABLE, c.id(), "no presence in " + c.channel());
        }
        permitted(core.config.hooks().onSubscribe(info, c.channel()), c.id());
        // Commands of one client take effect in order: behind our own subscribe, wait for it.
        Subscription mine = subscriptions.get(c.channel());
        CompletionStage<Void> before = mine == null || mine.presenceSettled == null
                ? CompletableFuture.completedFuture(null)
                : mine.presenceSettled;
        before.thenCompose(v -> core.broker.presence(c.channel()))
                .whenComplete((clients, error) -> executor.execute(() -> {
                    if (error != null) {
                        sendError(c.id(), ErrorCode.INTERNAL, "the broker failed");
                    } else {
                        send(Messages.presence(c.id(), c.channel(), clients));
                    }
                }));
    }

    private void history(Command.History c) throws CommandException {
        ChannelNames.check(c.channel(), c.id());
        ChannelOptions options = core.config.options(c.channel());
        if (options.historySize() == 0) {
            throw new CommandException(ErrorCode.NOT_AVAILABLE, c.id(), "no history in " + c.channel());
        }
        permitted(core.config.hooks().onSubscribe(info, c.channel()), c.id());
        int limit = c.limit() < 0 ? 100 : Math.min(100, c.limit());
        core.broker
                .history(c.channel(), options, c.since(), limit)
                .whenComplete((h, error) -> executor.execute(() -> {
                    if (error != null) {
                        sendError(c.id(), ErrorCode.INTERNAL, "the broker failed");
                    } else if (h.outcome() != HistoryResult.Outcome.COMPLETE) {
                        sendError(
                                c.id(),
                                ErrorCode.STALE_POSITION,
                                "history no longer holds what follows that position ("
                                        + h.outcome().name().toLowerCase(java.util.Locale.ROOT) + ")");
                    } else {
                        send(Messages.history(c.id(), c.channel(), h.top(), h.publications()));
                    }
                }));
    }

    private void permitted(Verdict verdict, long id) throws CommandException {
        if (!verdict.allowed()) {
            throw new CommandException(ErrorCode.PERMISSION_DENIED, id, verdict.reason());
        }
    }

    // ---- heartbeat, disconnect, close ----------------------------------------------------------

    private void beat() {
        if (state != State.CONNECTED) {
            return;
        }
        if (awaitingPong) {
            LOG.log(Level.INFO, () -> "hub session " + describe() + " missed its pong; disconnecting");
            disconnect(new Disconnect(Disconnect.NO_PONG, "no pong", 0));
            return;
        }
        awaitingPong = true;
        long ping = ++pings;
        send(Messages.PING);
        core.timer.schedule(
                () -> executor.execute(() -> {
                    // Only this ping's check: with a pong timeout equal to the interval, the next
                    // ping may already be out and awaiting its own pong.
                    if (awaitingPong && pings == ping && state == State.CONNECTED) {
                        LOG.log(Level.INFO, () -> "hub session " + describe() + " sent no pong in time; disconnecting");
                        disconnect(new Disconnect(Disconnect.NO_PONG, "no pong", 0));
                    }
                }),
                core.config.pongTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Tells the client why and whether to come back, then closes. On the executor. */
    public void disconnect(Disconnect d) {
        if (state == State.CLOSED) {
            return;
        }
        send(Messages.disconnect(d));
        transport.close(d.code(), d.reason());
        closed(d.code(), d.reason());
    }

    @Override
    public void onClose(int code, String reason) {
        closed(code, reason);
    }

    private void closed(int code, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasConnected = state == State.CONNECTED;
        state = State.CLOSED;
        connectTimer.cancel(false);
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        for (Subscription sub : List.copyOf(subscriptions.values())) {
            drop(sub);
        }
        core.sessions.remove(this);
        if (wasConnected) {
            notifyHook(() -> core.config.hooks().onDisconnected(info, code, reason));
        }
    }

    // ---- output --------------------------------------------------------------------------------

    private void send(String json) {
        transport.send(new OutboundMessage(json));
    }

    private void sendError(long id, ErrorCode code, String message) {
        core.counters.errors.increment();
        send(Messages.error(id, code, message));
    }

    private void notifyHook(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "hub hook failed", e);
        }
    }

    private String describe() {
        return (info == null ? "?" : info.client()) + " (" + transport.remoteAddress() + ")";
    }
}
