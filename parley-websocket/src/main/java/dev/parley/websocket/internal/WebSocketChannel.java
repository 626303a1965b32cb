package dev.parley.websocket.internal;

import dev.parley.protocol.CloseStatus;
import dev.parley.protocol.Event;
import dev.parley.protocol.Opcode;
import dev.parley.protocol.Role;
import dev.parley.protocol.connection.Connection;
import dev.parley.protocol.deflate.MessageDeflater;
import dev.parley.protocol.handshake.Headers;
import dev.parley.websocket.OverflowPolicy;
import dev.parley.websocket.SendResult;
import dev.parley.websocket.WebSocketException;
import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketSession;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An open WebSocket on a socket, server or client side: the protocol {@link Connection} driven by
 * an event loop. It owns no read buffer (the loop lends one per read) and keeps output only while
 * the socket cannot take it.
 *
 * <p>Flow control: output above the high-water mark makes sends return {@link
 * SendResult#BACKPRESSURE} and stops reading from the peer, whose own replies (pongs, echoes)
 * would otherwise pile up; below the low-water mark reading resumes and the handler hears {@link
 * WebSocketHandler#onDrain}. A send that would pass the hard limit is refused or closes the
 * session with 1008, per the {@link OverflowPolicy}.
 */
public final class WebSocketChannel extends TimerWheel.Timer
        implements WebSocketSession, EventLoop.Handler, EventLoop.Flushable, Consumer<Event> {
    private static final System.Logger LOG = System.getLogger(WebSocketChannel.class.getName());
    private static final AtomicLong IDS = new AtomicLong();
    private static final VarHandle IN_FLIGHT;

    static {
        try {
            IN_FLIGHT = MethodHandles.lookup().findVarHandle(WebSocketChannel.class, "inFlight", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long id = IDS.incrementAndGet();
    private final EventLoop loop;
    private final Transport transport;
    private final Connection connection;
    private final WebSocketHandler handler;
    private final SessionSettings settings;
    private final String path;
    private final String query;
    private final Headers headers;
    private final String subprotocol;
    private final boolean compressed;
    /** Told when the session ends: one owner object per server, not a lambda per session. */
    private final Owner owner;

    /**
     * Who keeps a list of sessions (the server), told when one ends. What it needs of a session
     * (its peer's address, for per-address admission) it asks the session, which keeps no tag.
     */
    public interface Owner {
        Owner NONE = session -> {};

        void finished(WebSocketChannel session);
    }
    /** Made on first use: most sessions never need any of it. */
    private volatile Extras extras;

    /**
     * What few sessions need: attributes, the reason of an overflow close, latency probes. Kept
     * apart so that a session that needs none of them pays one reference, not three.
     */
    private static final class Extras {
        final Map<String, Object> attributes = new ConcurrentHashMap<>();
        /** Why the session closed itself under {@link OverflowPolicy#CLOSE}; set on any thread. */
        volatile WebSocketException overflow;
        /** Pings sent by {@link WebSocketChannel#measureLatency}, oldest first. Loop only. */
        ArrayDeque<CompletableFuture<Duration>> latencyProbes;
    }

    /** The extras, made now if need be. Any thread. */
    private Extras extras() {
        Extras x = extras;
        if (x == null) {
            synchronized (this) {
                x = extras;
                if (x == null) {
                    x = new Extras();
                    extras = x;
                }
            }
        }
        return x;
    }

    /** The latency probes awaiting their pong, or null. Loop only. */
    private ArrayDeque<CompletableFuture<Duration>> latencyProbes() {
        Extras x = extras;
        return x == null ? null : x.latencyProbes;
    }

    private final OutboundQueue writeQueue = new OutboundQueue();
    /** Bytes handed to the loop by other threads and not yet queued (estimated). */
    private volatile long inFlight; // through IN_FLIGHT: no AtomicLong per session

    private boolean flushScheduled;
    private boolean readPaused;
    /** Set by sends on any thread, read by the loop. */
    private volatile boolean drainWanted;

    private boolean finished;
    /**
     * The peer broke the protocol: our close frame is queued, and whatever the peer still sends is
     * read and dropped (see {@link #flush}), never decoded.
     */
    private boolean failed;

    private boolean outputShut;
    private volatile boolean open = true;

    private long lastReadNanos;
    private long pingSentNanos;
    private boolean awaitingPong;
    private long closeDeadlineNanos;

    /** Settings shared by every session of one server or client. */
    public record SessionSettings(
            Duration idleTimeout,
            Duration pingInterval,
            Duration pongTimeout,
            Duration closeTimeout,
            long maxOutboundBuffer,
            OverflowPolicy overflowPolicy,
            dev.parley.websocket.ServerObserver observer) {
        long highWater() {
            return Math.max(1, maxOutboundBuffer / 4);
        }

        long lowWater() {
            return highWater() / 2;
        }
    }

    /**
     * Takes over a socket whose handshake just completed; call {@link #start} on the loop's thread.
     */
    public WebSocketChannel(
            EventLoop loop,
            Transport transport,
            Connection connection,
            WebSocketHandler handler,
            SessionSettings settings,
            String path,
            String query,
            Headers headers,
            String subprotocol,
            boolean compressed,
            Owner owner) {
        this.loop = loop;
        this.transport = transport;
        this.connection = connection;
        this.handler = handler;
        this.settings = settings;
        this.path = path;
        this.query = query;
        this.headers = headers;
        this.subprotocol = subprotocol;
        this.compressed = compressed;
        this.owner = owner;
    }

    /**
     * Takes the socket's readiness, writes the handshake response if any (server), tells the handler, and
     * processes the bytes that arrived right behind the handshake.
     */
    public void start(ByteBuffer handshakeResponse, ByteBuffer leftover) {
        transport.attach(this);
        transport.interest(SelectionKey.OP_READ);
        lastReadNanos = System.nanoTime();
        scheduleTimer();
        if (handshakeResponse != null) {
            writeHandshakeResponse(handshakeResponse);
        }
        settings.observer().sessionOpened(this);
        call(() -> handler.onOpen(this));
        if (leftover != null && leftover.hasRemaining()) {
            connection.receive(leftover, this);
            afterReceive();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

    @Override
    public void ready(int readyOps) {
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            flush();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && !finished) {
            read();
        }
    }

    private void read() {
        ByteBuffer buffer = loop.readBuffer();
        // A few reads per readiness: enough for a burst, fair to the loop's other sessions.
        for (int i = 0; i < 4 && !finished && !readPaused; i++) {
            int n;
            try {
                n = transport.read(buffer.clear());
            } catch (IOException e) {
                // after a failure the session's end is already decided and reported
                finish(failed ? null : new WebSocketException(1006, "read failed: " + e.getMessage(), e));
                return;
            }
            if (n < 0) {
                onEndOfStream();
                return;
            }
            if (n > 0 && !failed) {
                settings.observer().bytesReceived(n);
                lastReadNanos = System.nanoTime();
                connection.receive(buffer.flip(), this);
                afterReceive();
            }
            if ((n < buffer.capacity()) && !transport.hasBufferedInput()) {
                break;
            }
        }
        if (!finished && transport.hasPendingOutput()) {
            updateInterest(); // TLS may have produced records (handshake, alerts) while reading
        }
        readAgainIfBuffered();
    }

    /**
     * TLS can hold decrypted bytes that no socket readiness will announce: read them on the next
     * turn of the loop instead of waiting for bytes that may never come.
     */
    private void readAgainIfBuffered() {
        if (!finished && !readPaused && transport.hasBufferedInput()) {
            loop.execute(() -> {
                if (!finished && !readPaused) {
                    read();
                }
            });
        }
    }

    private void onEndOfStream() {
        finish(null);
    }

    private void afterReceive() {
        // While earlier output is still waiting for the socket, an automatic pong stays in the
        // connection, where the next ping replaces it: a peer that pings faster than it reads gets
        // one answer, to its latest ping (RFC 6455 §5.5.3), not a queue of them.
        boolean behind = !writeQueue.isEmpty();
        if (connection.hasOutput() && !(behind && connection.onlyPongPending())) {
            drainConnection();
        }
        if (connection.failure() != null && !finished && !failed) {
            failed = true;
            open = false;
            Event.Failure f = connection.failure();
            call(() -> handler.onError(this, new WebSocketException(f.status().code(), f.message())));
            closeAfterFlush();
        } else if (connection.state() == Connection.State.CLOSED && !finished) {
            open = false;
            if (connection.role() == Role.SERVER) {
                closeAfterFlush(); // §7.1.1: the server closes the TCP connection first
            } else {
                armCloseTimeout(); // the client waits for the server's FIN, but not forever
            }
        }
    }

    /**
     * The connection's event sink during {@link Connection#receive}, on the loop's thread: the
     * session itself, so that no method reference is allocated per read.
     */
    @Override
    public void accept(Event event) {
        // Data events call the handler without a capturing lambda: one allocation fewer per message.
        if (event instanceof Event.Text t) {
            settings.observer().messageReceived();
            try {
                handler.onText(this, t.text());
            } catch (RuntimeException e) {
                handlerFailed(e);
            }
        } else if (event instanceof Event.Binary b) {
            settings.observer().messageReceived();
            try {
                handler.onBinary(this, b.data());
            } catch (RuntimeException e) {
                handlerFailed(e);
            }
        } else if (event instanceof Event.Ping p) {
            call(() -> handler.onPing(this, p.data()));
        } else if (event instanceof Event.Pong p) {
            onPong(p.data());
        } else if (event instanceof Event.Close) {
            open = false;
        }
        // Failure is handled after the receive call, once its close frame is queued.
    }

    private void onPong(ByteBuffer data) {
        awaitingPong = false;
        ArrayDeque<CompletableFuture<Duration>> latencyProbes = latencyProbes();
        if (latencyProbes != null && !latencyProbes.isEmpty()) {
            long sent = probeTime(data);
            if (sent != 0) {
                latencyProbes.poll().complete(Duration.ofNanos(System.nanoTime() - sent));
            }
        }
        call(() -> handler.onPong(this, data.duplicate()));
    }

    private static long probeTime(ByteBuffer data) {
        return data.remaining() == 9 && data.get(data.position()) == 'L' ? data.getLong(data.position() + 1) : 0;
    }

    private void call(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            handlerFailed(e);
        }
    }

    /** A handler callback threw: tell the handler, and close the session with 1011. */
    private void handlerFailed(RuntimeException e) {
        LOG.log(Level.WARNING, "handler threw on session " + id + "; closing it with 1011", e);
        try {
            handler.onError(this, e);
        } catch (RuntimeException again) {
            LOG.log(Level.WARNING, "handler's onError threw too", again);
        }
        if (connection.state() == Connection.State.OPEN || connection.state() == Connection.State.REMOTE_CLOSING) {
            connection.send(new Event.Close(CloseStatus.INTERNAL_ERROR, "internal error"));
            drainConnection();
            open = false;
            armCloseTimeout();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Sending

    @Override
    public SendResult send(String text) {
        return counted(sendEvent(new Event.Text(text), text.length() + 14L));
    }

    @Override
    public SendResult send(ByteBuffer data) {
        return counted(sendEvent(new Event.Binary(copyIfForeign(data)), data.remaining() + 14L));
    }

    private SendResult counted(SendResult result) {
        if (result != SendResult.DROPPED) {
            settings.observer().messageSent();
        }
        return result;
    }

    @Override
    public SendResult ping(ByteBuffer data) {
        if (data.remaining() > 125) {
            throw new IllegalArgumentException("ping payload of " + data.remaining() + " bytes exceeds 125");
        }
        return sendEvent(new Event.Ping(copyIfForeign(data)), data.remaining() + 6L);
    }

    /** Off the loop the caller may reuse its buffer at once, so the loop must get a copy. */
    private ByteBuffer copyIfForeign(ByteBuffer data) {
        if (loop.inLoop()) {
            return data;
        }
        return Buffers.copyOf(data);
    }

    private SendResult sendEvent(Event event, long estimate) {
        if (!open) {
            return SendResult.DROPPED;
        }
        // An empty buffer always takes one message, so a message larger than the limit can still
        // be sent; the buffer never holds more than the limit or one message.
        long before = buffered();
        if (before > 0 && before + estimate > settings.maxOutboundBuffer()) {
            if (settings.overflowPolicy() == OverflowPolicy.CLOSE) {
                LOG.log(Level.INFO, "session " + id + " exceeded its outbound buffer; closing with 1008");
                closeForOverflow(before + estimate);
            }
            return SendResult.DROPPED;
        }
        if (loop.inLoop()) {
            connection.send(event);
            drainConnection();
        } else {
            IN_FLIGHT.getAndAdd(this, estimate);
            loop.execute(() -> {
                IN_FLIGHT.getAndAdd(this, -estimate);
                if (connection.state() == Connection.State.OPEN
                        || connection.state() == Connection.State.REMOTE_CLOSING) {
                    connection.send(event);
                    drainConnection();
                }
            });
        }
        if (buffered() > settings.highWater()) {
            drainWanted = true;
            return SendResult.BACKPRESSURE;
        }
        return SendResult.SENT;
    }

    @Override
    public SendResult send(dev.parley.websocket.PreparedMessage message) {
        Broadcast prepared = (Broadcast) message;
        if (connection.role() == Role.CLIENT) {
            // A client masks every frame with its own key: nothing to share.
            return prepared.opcode() == Opcode.TEXT
                    ? send(java.nio.charset.StandardCharsets.UTF_8
                            .decode(prepared.payload())
                            .toString())
                    : send(prepared.payload());
        }
        if (loop.inLoop()) {
            return sendBroadcast(prepared);
        }
        if (!open) {
            return SendResult.DROPPED;
        }
        long estimate = prepared.length() + 14L;
        IN_FLIGHT.getAndAdd(this, estimate);
        loop.execute(() -> {
            IN_FLIGHT.getAndAdd(this, -estimate);
            sendBroadcast(prepared);
        });
        return buffered() > settings.highWater() ? SendResult.BACKPRESSURE : SendResult.SENT;
    }

    @Override
    public java.util.concurrent.Executor executor() {
        return loop;
    }

    /**
     * Sends a message framed once for many sessions: the shared plain or compressed frame when this
     * session can use it, else the message through this session's own compressor. Loop only.
     */
    public SendResult sendBroadcast(Broadcast message) {
        if (!open || connection.state() != Connection.State.OPEN || connection.isSendingFragmented()) {
            return SendResult.DROPPED;
        }
        int length = message.payload().remaining();
        long before = buffered();
        if (before > 0 && before + length + 14 > settings.maxOutboundBuffer()) {
            if (settings.overflowPolicy() == OverflowPolicy.CLOSE) {
                closeForOverflow(before + length + 14);
            }
            return SendResult.DROPPED;
        }
        settings.observer().messageSent();
        MessageDeflater deflater = connection.deflater();
        if (deflater == null || !deflater.shouldCompress(length)) {
            connection.sendPreEncoded(message.plain());
        } else if (deflater.acceptsSharedFrames()) {
            connection.sendPreEncoded(message.compressed(deflater.level()));
            deflater.sharedFrameSent();
        } else {
            connection.send(
                    message.opcode() == Opcode.TEXT
                            ? new Event.Text(java.nio.charset.StandardCharsets.UTF_8
                                    .decode(message.payload())
                                    .toString())
                            : new Event.Binary(message.payload()));
        }
        drainConnection();
        return buffered() > settings.highWater() ? SendResult.BACKPRESSURE : SendResult.SENT;
    }

    private void closeForOverflow(long wouldBuffer) {
        Extras x = extras();
        if (x.overflow == null) {
            x.overflow = new WebSocketException(
                    1008,
                    "outbound buffer of " + wouldBuffer + " bytes would exceed the limit of "
                            + settings.maxOutboundBuffer());
        }
        close(1008, "outbound buffer limit exceeded");
    }

    @Override
    public CompletableFuture<Duration> measureLatency() {
        CompletableFuture<Duration> result = new CompletableFuture<>();
        Runnable probe = () -> {
            if (!open) {
                result.completeExceptionally(new WebSocketException(1006, "session closed"));
                return;
            }
            Extras x = extras();
            if (x.latencyProbes == null) {
                x.latencyProbes = new ArrayDeque<>();
            }
            x.latencyProbes.add(result);
            ByteBuffer data = ByteBuffer.allocate(9)
                    .put((byte) 'L')
                    .putLong(System.nanoTime())
                    .flip();
            connection.send(new Event.Ping(data));
            drainConnection();
        };
        if (loop.inLoop()) {
            probe.run();
        } else {
            loop.execute(probe);
        }
        return result;
    }

    @Override
    public void close(int code, String reason) {
        CloseStatus status = CloseStatus.of(code);
        dev.parley.protocol.frame.ClosePayload.build(status, reason); // validates, throws for the caller
        Runnable closing = () -> {
            open = false;
            if (connection.state() == Connection.State.OPEN || connection.state() == Connection.State.REMOTE_CLOSING) {
                connection.send(new Event.Close(status, reason));
                drainConnection();
                if (connection.state() == Connection.State.CLOSED && connection.role() == Role.SERVER) {
                    closeAfterFlush();
                } else {
                    armCloseTimeout();
                }
            }
        };
        open = false;
        if (loop.inLoop()) {
            closing.run();
        } else {
            loop.execute(closing);
        }
    }

    @Override
    public void abort() {
        open = false;
        if (loop.inLoop()) {
            finish(null);
        } else {
            loop.execute(() -> finish(null));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    /** Moves the connection's output (frames, pongs, close replies) to the write queue. */
    private void drainConnection() {
        connection.takeOutput(writeQueue);
        queued();
    }

    /**
     * Writes the 101 at once: the socket nearly always takes it whole, and then the queue never
     * makes its array (an idle session holds none). What it does not take goes the usual way.
     */
    private void writeHandshakeResponse(ByteBuffer response) {
        try {
            int n = transport.write(response);
            if (n > 0) {
                settings.observer().bytesSent(n);
            }
        } catch (IOException e) {
            // The flush below meets the same error and ends the session the usual way.
        }
        if (response.hasRemaining() || transport.hasPendingOutput()) {
            writeQueue.add(response);
            queued();
        }
    }

    /** After bytes were queued: flow control, and a flush at the end of the loop's turn. */
    private void queued() {
        long now = buffered();
        if (now > settings.highWater() && !readPaused && !finished) {
            readPaused = true; // a peer that does not read gets no more of our attention
            drainWanted = true;
            updateInterest();
        }
        if (!flushScheduled) {
            flushScheduled = true;
            loop.flushLater(this);
        }
    }

    @Override
    public void flush() {
        flushScheduled = false;
        if (finished) {
            return;
        }
        try {
            if (!transport.flushPending()) {
                updateInterest();
                return;
            }
            long written = writeQueue.writeTo(transport, loop.writeBuffer());
            if (written > 0) {
                settings.observer().bytesSent(written);
            }
        } catch (IOException e) {
            finish(new WebSocketException(1006, "write failed: " + e.getMessage(), e));
            return;
        }
        if (writeQueue.isEmpty() && connection.hasOutput() && !finished) {
            drainConnection(); // the pong held back while we were behind; flushed next
        }
        boolean drained = writeQueue.isEmpty() && !transport.hasPendingOutput();
        if (drained && closeAfterFlush && !outputShut) {
            // The peer may still be sending: the rest of an oversized message, or after a clean
            // closing handshake a ping it sent before it read our close (OkHttp's keepalive pings
            // do). Closing the socket with bytes unread would send RST, which can discard our
            // close frame before the peer reads it: half-close instead (the FIN is the server's
            // "close first" of RFC 6455 §7.1.1), drop what arrives, and close at the peer's EOF or
            // when the close timeout armed by closeAfterFlush expires.
            outputShut = true;
            try {
                transport.shutdownOutput();
            } catch (IOException e) {
                finish(null);
                return;
            }
        }
        if (buffered() <= settings.lowWater()) {
            if (readPaused) {
                readPaused = false;
                readAgainIfBuffered();
            }
            if (drainWanted && open) {
                drainWanted = false;
                call(() -> handler.onDrain(this));
            }
        }
        updateInterest();
    }

    private boolean closeAfterFlush;

    private void closeAfterFlush() {
        closeAfterFlush = true;
        armCloseTimeout(); // a peer that never reads cannot hold the socket open
        if (!flushScheduled) {
            flushScheduled = true;
            loop.flushLater(this);
        }
    }

    private void updateInterest() {
        if (finished) {
            return;
        }
        boolean wantWrite = !writeQueue.isEmpty() || transport.hasPendingOutput();
        transport.interest((readPaused ? 0 : SelectionKey.OP_READ) | (wantWrite ? SelectionKey.OP_WRITE : 0));
    }

    // ---------------------------------------------------------------------------------------------
    // Timers: one wheel entry per session, at the earliest of its deadlines

    private void scheduleTimer() {
        if (finished) {
            return;
        }
        long next = closeDeadlineNanos != 0 ? closeDeadlineNanos : nextKeepaliveDeadline();
        loop.timers().schedule(this, next);
    }

    private long nextKeepaliveDeadline() {
        long idle = lastReadNanos + settings.idleTimeout().toNanos();
        if (settings.pingInterval().isZero()) {
            return idle;
        }
        long keepalive = awaitingPong
                ? pingSentNanos + settings.pongTimeout().toNanos()
                : Math.max(lastReadNanos, pingSentNanos)
                        + settings.pingInterval().toNanos();
        return Math.min(idle, keepalive);
    }

    private void armCloseTimeout() {
        if (closeDeadlineNanos == 0) {
            closeDeadlineNanos = System.nanoTime() + settings.closeTimeout().toNanos();
            scheduleTimer();
        }
    }

    @Override
    protected void expired(long now) {
        if (finished) {
            return;
        }
        MessageDeflater deflater = connection.deflater();
        if (deflater != null) {
            deflater.releaseIfIdle(); // an adaptive compressor unused since the last check goes back
        }
        if (closeDeadlineNanos != 0) {
            if (now >= closeDeadlineNanos) {
                LOG.log(Level.DEBUG, "session " + id + ": no close reply within the close timeout; dropping it");
                finish(null);
                return;
            }
        } else if (now - lastReadNanos >= settings.idleTimeout().toNanos()) {
            LOG.log(Level.INFO, "session " + id + " from " + remoteAddress() + " idle too long; closing with 1001");
            close(1001, "idle timeout");
            return;
        } else if (!settings.pingInterval().isZero()) {
            if (awaitingPong && now - pingSentNanos >= settings.pongTimeout().toNanos()) {
                if (lastReadNanos < pingSentNanos) {
                    LOG.log(
                            Level.INFO,
                            "session " + id + " from " + remoteAddress()
                                    + ": no pong within the pong timeout; dropping it");
                    finish(new WebSocketException(1006, "no pong within " + settings.pongTimeout()));
                    return;
                }
                awaitingPong = false; // anything read since the ping proves the peer alive
            }
            if (!awaitingPong
                    && now - Math.max(lastReadNanos, pingSentNanos)
                            >= settings.pingInterval().toNanos()) {
                pingSentNanos = now;
                awaitingPong = true;
                if (connection.state() == Connection.State.OPEN) {
                    connection.send(new Event.Ping(ByteBuffer.allocate(0)));
                    drainConnection();
                }
            }
        }
        scheduleTimer();
    }

    // ---------------------------------------------------------------------------------------------
    // The end

    /** Closes the socket and reports the end to the handler, once. */
    private void finish(WebSocketException error) {
        if (finished) {
            return;
        }
        finished = true;
        open = false;
        loop.timers().cancel(this);
        Event.Close close = connection.transportClosed();
        boolean clean = error == null
                && connection.failure() == null
                && connection.closeReceived() != null
                && connection.closeSent() != null;
        transport.close();
        writeQueue.clear();
        inFlight = 0;
        ArrayDeque<CompletableFuture<Duration>> latencyProbes = latencyProbes();
        if (latencyProbes != null) {
            latencyProbes.forEach(p -> p.completeExceptionally(new WebSocketException(1006, "session closed")));
        }
        // A session closed for overflow whose peer never answered ends with the code it sent: the
        // handler learns why, as it does for the protocol failures it detects.
        Extras x = extras;
        WebSocketException overflow = x == null ? null : x.overflow;
        WebSocketException failure = error == null && !clean ? overflow : error;
        if (failure != null) {
            LOG.log(Level.DEBUG, "session " + id + ": " + failure.getMessage());
            call(() -> handler.onError(this, failure));
        }
        int code = connection.failure() != null
                ? connection.failure().status().code()
                : failure == overflow && failure != null
                        ? failure.closeCode()
                        : close.status().code();
        String reason = connection.failure() != null
                ? connection.failure().message()
                : failure == overflow && failure != null ? failure.getMessage() : close.reason();
        try {
            handler.onClose(this, code, reason, clean);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "handler's onClose threw", e);
        }
        settings.observer().sessionClosed(this, code, reason, clean);
        owner.finished(this);
    }

    // ---------------------------------------------------------------------------------------------
    // Accessors

    @Override
    public long id() {
        return id;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Queued bytes plus those on their way from other threads. Any thread. */
    private long buffered() {
        return writeQueue.bytes() + inFlight;
    }

    @Override
    public long bufferedAmount() {
        return Math.max(0, buffered());
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String query() {
        return query;
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public boolean isCompressed() {
        return compressed;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return transport.remoteAddress();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T attribute(String name) {
        Extras x = extras;
        return x == null ? null : (T) x.attributes.get(name);
    }

    @Override
    public void attribute(String name, Object value) {
        if (value == null) {
            Extras x = extras;
            if (x != null) {
                x.attributes.remove(name);
            }
        } else {
            extras().attributes.put(name, value);
        }
    }

    /** The loop that owns this session. */
    public EventLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        return "WebSocketSession[" + id + " " + remoteAddress() + " " + path + "]";
    }
}
