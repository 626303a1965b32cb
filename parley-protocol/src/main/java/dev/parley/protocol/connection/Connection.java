package dev.parley.protocol.connection;

import dev.parley.protocol.CloseStatus;
import dev.parley.protocol.Event;
import dev.parley.protocol.Opcode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.Role;
import dev.parley.protocol.deflate.DeflateConfig;
import dev.parley.protocol.deflate.DeflateParameters;
import dev.parley.protocol.deflate.MessageDeflater;
import dev.parley.protocol.deflate.MessageInflater;
import dev.parley.protocol.frame.ClosePayload;
import dev.parley.protocol.frame.FrameBits;
import dev.parley.protocol.frame.FrameEncoder;
import dev.parley.protocol.frame.TextEncoding;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One WebSocket connection after its opening handshake, as a sans-IO state machine in the manner
 * of Python's wsproto: {@link #receive} turns bytes from the peer into {@link Event}s, {@link
 * #send} turns events into bytes, and {@link #takeOutput} hands over every byte waiting to be
 * written, including the pongs and close replies the connection produces by itself.
 *
 * <h2>Lifecycle</h2>
 *
 * <pre>
 *   OPEN --send Close--> LOCAL_CLOSING --receive Close--> CLOSED
 *   OPEN --receive Close--> REMOTE_CLOSING --send Close--> CLOSED   (autoCloseReply: at once)
 *   any --protocol error / transport closed--> CLOSED
 * </pre>
 *
 * {@link #closeInitiator()} tells who closed first. When the peer breaks the protocol, {@code
 * receive} yields an {@link Event.Failure}, queues a close frame with the violation's status
 * (unless one was already sent) and ignores all further input (RFC 6455 §7.1.7). Input after a
 * received close frame is ignored too (§5.5.1). Once {@link #state()} is {@code CLOSED} and the
 * output is written, the transport should be closed: at once by a server, after a grace period by
 * a client, which expects the server to close first (§7.1.1).
 *
 * <h2>Threading and buffers</h2>
 *
 * Not thread-safe: one thread at a time, as with a socket's event loop. {@code receive} unmasks the
 * input buffer in place and consumes it entirely; events never share memory with it. Buffers
 * passed to {@code send} are read, not consumed or kept. Buffers returned by {@code takeOutput}
 * belong to the caller.
 */
public final class Connection {

    /** The states of the close handshake, named by who sent a close frame first. */
    public enum State {
        OPEN,
        /** This endpoint sent a close frame and awaits the peer's. */
        LOCAL_CLOSING,
        /** The peer sent a close frame and awaits this endpoint's. */
        REMOTE_CLOSING,
        CLOSED
    }

    /** Which end started the closing handshake. */
    public enum Initiator {
        LOCAL,
        REMOTE
    }

    private final ConnectionConfig config;
    private final FrameEncoder encoder;
    /**
     * The receiving state (frame decoder included). Without permessage-deflate it is borrowed from
     * {@link Spares} when bytes arrive and given back when they end between messages, so that this
     * is null while the connection is idle; with it, the inflater's window makes it this
     * connection's own for life.
     */
    private Inbound inbound;

    private final MessageDeflater deflater;

    private State state = State.OPEN;
    /** Made when the closing handshake starts or the protocol fails: open connections hold none. */
    private Closing closing;

    /** What the closing handshake has seen so far. */
    private static final class Closing {
        Initiator initiator;
        Event.Close sent;
        Event.Close received;
        Event.Failure failure;
    }

    private Closing closing() {
        Closing c = closing;
        return c != null ? c : (closing = new Closing());
    }

    /** Frames waiting to be taken; made on the first frame, since an idle connection sends none. */
    private ArrayDeque<ByteBuffer> output;

    private long outputBytes;
    private ByteBuffer pendingPong;
    private Opcode sendingFragmented;

    /** A server's encoder holds no state (it masks nothing), so every server connection shares one. */
    private static final FrameEncoder SERVER_ENCODER = new FrameEncoder(Role.SERVER);

    private static FrameEncoder encoderFor(Role role) {
        return role == Role.SERVER ? SERVER_ENCODER : new FrameEncoder(role);
    }

    /** A connection with the given role and the default configuration. */
    public Connection(Role role) {
        this(role, ConnectionConfig.defaults());
    }

    /** A connection with the given role and configuration. */
    public Connection(Role role, ConnectionConfig config) {
        this(role, config, encoderFor(role));
    }

    /**
     * A connection with a chosen encoder, for tests that need known masking keys.
     *
     * @throws IllegalArgumentException if the encoder is not one for {@code role} (a client's
     *     masks, a server's does not)
     */
    public Connection(Role role, ConnectionConfig config, FrameEncoder encoder) {
        this(role, config, encoder, null, null);
    }

    /**
     * A connection that negotiated permessage-deflate (RFC 7692) with these parameters. Whole
     * messages sent are compressed when {@link MessageDeflater#shouldCompress} says so; pieces of
     * fragmented sends go uncompressed. Received messages with RSV1 are inflated within the
     * message size limit.
     */
    public Connection(Role role, ConnectionConfig config, DeflateParameters deflate, DeflateConfig deflateConfig) {
        this(role, config, encoderFor(role), Objects.requireNonNull(deflate, "deflate"), deflateConfig);
    }

    /** The general constructor: a chosen encoder, and permessage-deflate when {@code deflate} is not null. */
    public Connection(
            Role role,
            ConnectionConfig config,
            FrameEncoder encoder,
            DeflateParameters deflate,
            DeflateConfig deflateConfig) {
        Objects.requireNonNull(role, "role");
        this.config = Objects.requireNonNull(config, "config");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        if (encoder.masks() != (role == Role.CLIENT)) {
            throw new IllegalArgumentException("an encoder that " + (encoder.masks() ? "masks" : "does not mask")
                    + " cannot serve a " + role + " (RFC 6455 §5.1)");
        }
        if (deflate != null) {
            Objects.requireNonNull(deflateConfig, "deflateConfig");
            this.deflater = MessageDeflater.create(deflate, role, deflateConfig);
            MessageInflater inflater =
                    MessageInflater.create(deflate, role, config.limits().maxMessageSize());
            this.inbound = new Inbound(this, config, inflater);
        } else {
            this.deflater = null; // inbound: borrowed on the first receive
        }
    }

    /** Whether permessage-deflate is in use. */
    public boolean isCompressing() {
        return deflater != null;
    }

    /**
     * The compressor of outbound messages when permessage-deflate is in use, or null. A broadcast
     * may reuse compressed bytes made once for many connections when {@link
     * MessageDeflater#acceptsSharedFrames()}.
     */
    public MessageDeflater deflater() {
        return deflater;
    }

    /** Whether a fragmented message is being sent (frames of another message cannot go now). */
    public boolean isSendingFragmented() {
        return sendingFragmented != null;
    }

    /**
     * Queues a whole frame made elsewhere for this connection's role (a broadcast built once for
     * many connections). The caller vouches that it is a complete, final data frame that this
     * connection could have made itself: unmasked for a server, compressed alike if RSV1 is set.
     *
     * @throws IllegalStateException if data cannot be sent now (closing, or a fragmented send is
     *     unfinished)
     */
    public void sendPreEncoded(ByteBuffer frame) {
        checkCanSend("frame");
        if (sendingFragmented != null) {
            throw new IllegalStateException(
                    "send frame while a fragmented " + sendingFragmented + " message is unfinished");
        }
        queue(frame);
    }

    /** This endpoint's role. */
    public Role role() {
        return encoder.masks() ? Role.CLIENT : Role.SERVER; // the constructor checked they agree
    }

    /** The state of the close handshake. */
    public State state() {
        return state;
    }

    /** Who sent the first close frame, or null while neither has (or the transport just ended). */
    public Initiator closeInitiator() {
        return closing == null ? null : closing.initiator;
    }

    /** The close frame received from the peer, or null. */
    public Event.Close closeReceived() {
        return closing == null ? null : closing.received;
    }

    /** The close frame this endpoint sent (or queued), or null. */
    public Event.Close closeSent() {
        return closing == null ? null : closing.sent;
    }

    /** The protocol failure that closed the connection, or null. */
    public Event.Failure failure() {
        return closing == null ? null : closing.failure;
    }

    // ---------------------------------------------------------------------------------------------
    // Receiving

    /**
     * Consumes every byte between the buffer's position and limit and passes the resulting events
     * to {@code events}, in order. Never throws for bad input: a protocol error becomes an {@link
     * Event.Failure}, the last event this connection yields.
     */
    public void receive(ByteBuffer data, Consumer<? super Event> events) {
        if (state == State.CLOSED || state == State.REMOTE_CLOSING) {
            data.position(data.limit()); // §5.5.1: nothing is expected after a close frame
            return;
        }
        Inbound in = inbound;
        if (in == null) {
            in = inbound = Spares.take(this, config);
        }
        in.events = events;
        try {
            in.decoder.decode(data, in);
        } catch (ProtocolException e) {
            data.position(data.limit());
            if (closeReceived() == null) {
                fail(e, events);
            } // else: bytes after the peer's close frame are ignored, whatever they are
        } finally {
            in.events = null;
            // Lent out only while open: after a close or a failure nothing more is decoded, and the
            // state may be partial. A handler that threw leaves the decoder failed, never at rest;
            // one that fed this connection again may have given the set back already.
            if (inbound == in && (state == State.OPEN || state == State.LOCAL_CLOSING) && in.atRest()) {
                inbound = null;
                Spares.give(in);
            }
        }
    }

    /** Whether this connection holds receiving state of its own now (tests of idle memory). */
    boolean holdsReceiveState() {
        return inbound != null;
    }

    /** Like {@link #receive(ByteBuffer, Consumer)}, collecting the events into a list. */
    public List<Event> receive(ByteBuffer data) {
        List<Event> events = new ArrayList<>(2);
        receive(data, events::add);
        return events;
    }

    private void fail(ProtocolException e, Consumer<? super Event> events) {
        Event.Failure f = new Event.Failure(e.violation(), e.getMessage());
        closing().failure = f;
        if (inbound != null) {
            inbound.reset();
        }
        if (closeSent() == null) {
            queueClose(new Event.Close(e.closeStatus(), ClosePayload.truncate(e.getMessage())));
        }
        state = State.CLOSED;
        release();
        events.accept(f);
    }

    /** Gives back compression memory once nothing more can be sent or received. */
    private void release() {
        if (deflater != null) {
            deflater.close();
        }
        if (inbound != null) {
            inbound.release();
        }
    }

    /** Called by {@link Inbound} when a whole control frame has arrived. */
    void onPing(ByteBuffer data, Consumer<? super Event> events) {
        if (state == State.OPEN && config.autoPong()) {
            pendingPong = data.duplicate(); // §5.5.3: answering only the most recent ping is enough
        }
        events.accept(new Event.Ping(data));
    }

    void onClose(Event.Close close, Consumer<? super Event> events) {
        closing().received = close;
        if (state == State.OPEN) {
            closing.initiator = Initiator.REMOTE;
            state = State.REMOTE_CLOSING;
            pendingPong = null;
            events.accept(close);
            if (config.autoCloseReply()) {
                // §5.5.1: the reply typically echoes the status code received.
                replyTo(close);
            }
        } else { // LOCAL_CLOSING: the peer's answer to our close
            state = State.CLOSED;
            release();
            events.accept(close);
        }
    }

    private void replyTo(Event.Close close) {
        send(new Event.Close(close.status(), ""));
    }

    // ---------------------------------------------------------------------------------------------
    // Transport

    /**
     * The transport ended (EOF, reset or timeout). If the closing handshake had not completed, the
     * connection is CLOSED and the returned event reports {@link CloseStatus#ABNORMAL_CLOSURE}
     * (RFC 6455 §7.1.5); otherwise it repeats the close the peer sent.
     */
    public Event.Close transportClosed() {
        Event.Close closeReceived = closeReceived();
        boolean clean = state == State.CLOSED && closeReceived != null && failure() == null;
        state = State.CLOSED;
        if (inbound != null) {
            inbound.reset();
        }
        release();
        output = null;
        outputBytes = 0;
        pendingPong = null;
        return clean ? closeReceived : new Event.Close(CloseStatus.ABNORMAL_CLOSURE, "");
    }

    // ---------------------------------------------------------------------------------------------
    // Sending

    /**
     * Queues the frames for an event. Text and binary pieces with {@code last == false} start or
     * continue a fragmented message (RFC 6455 §5.4); control frames may be sent between them.
     *
     * @throws IllegalStateException data or a ping after this endpoint sent its close, anything
     *     after CLOSED, or a message of the other type while a fragmented one is unfinished
     * @throws IllegalArgumentException a control payload over 125 bytes, a close status that may
     *     not be sent, text with an unpaired surrogate, or a {@link Event.Failure}
     */
    public void send(Event event) {
        if (event instanceof Event.Text t) {
            sendData(Opcode.TEXT, ByteBuffer.wrap(TextEncoding.encode(t.text())), t.last());
        } else if (event instanceof Event.Binary b) {
            sendData(Opcode.BINARY, b.data(), b.last());
        } else if (event instanceof Event.Ping p) {
            sendControl(Opcode.PING, p.data());
        } else if (event instanceof Event.Pong p) {
            sendControl(Opcode.PONG, p.data());
        } else if (event instanceof Event.Close c) {
            sendClose(c);
        } else {
            throw new IllegalArgumentException("a Failure is reported, never sent");
        }
    }

    private void checkCanSend(String what) {
        if (state != State.OPEN && state != State.REMOTE_CLOSING) {
            throw new IllegalStateException("send " + what + " in state " + state);
        }
    }

    private void sendData(Opcode type, ByteBuffer payload, boolean last) {
        checkCanSend(type.toString());
        if (sendingFragmented != null && sendingFragmented != type) {
            throw new IllegalStateException(
                    "send " + type + " while a fragmented " + sendingFragmented + " message is unfinished");
        }
        Opcode opcode = sendingFragmented == null ? type : Opcode.CONTINUATION;
        boolean whole = sendingFragmented == null && last;
        int rsv = 0;
        if (whole && deflater != null && deflater.shouldCompress(payload.remaining())) {
            payload = deflater.compress(payload);
            rsv = FrameBits.B0_FLAG_RSV1; // RFC 7692 §6: on the first frame of the message only
        }
        if (whole && config.outboundFrameSize() > 0) {
            queue(encoder.encodeMessage(type, rsv, payload, config.outboundFrameSize()));
        } else {
            queue(encoder.encode(opcode, last, rsv, payload));
        }
        sendingFragmented = last ? null : type;
    }

    private void sendControl(Opcode opcode, ByteBuffer payload) {
        checkCanSend(opcode.toString());
        if (payload.remaining() > FrameBits.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException(
                    opcode + " payload of " + payload.remaining() + " bytes exceeds 125 (RFC 6455 §5.5)");
        }
        queue(encoder.encode(opcode, true, 0, payload));
    }

    private void sendClose(Event.Close close) {
        ByteBuffer payload = ClosePayload.build(close.status(), close.reason());
        checkCanSend("CLOSE");
        queueClose(close, payload);
        if (state == State.OPEN) {
            closing.initiator = Initiator.LOCAL; // made by queueClose
            state = State.LOCAL_CLOSING;
        } else {
            state = State.CLOSED;
            release();
        }
    }

    private void queueClose(Event.Close close) {
        queueClose(close, ClosePayload.build(close.status(), close.reason()));
    }

    private void queueClose(Event.Close close, ByteBuffer payload) {
        closing().sent = close;
        pendingPong = null;
        queue(encoder.encode(Opcode.CLOSE, true, 0, payload));
    }

    private void queue(ByteBuffer frame) {
        flushPong();
        push(frame);
        outputBytes += frame.remaining();
    }

    private void flushPong() {
        if (pendingPong != null) {
            ByteBuffer pong = encoder.encode(Opcode.PONG, true, 0, pendingPong);
            pendingPong = null;
            push(pong);
            outputBytes += pong.remaining();
        }
    }

    private void push(ByteBuffer frame) {
        if (output == null) {
            output = new ArrayDeque<>(2); // usually one frame at a time
        }
        output.add(frame);
    }

    private boolean outputEmpty() {
        return output == null || output.isEmpty();
    }

    // ---------------------------------------------------------------------------------------------
    // Output

    /**
     * Whether the only output waiting is an automatic pong. A transport that is behind may leave
     * it here: a later ping replaces it, so only the latest ping is answered (RFC 6455 §5.5.3).
     */
    public boolean onlyPongPending() {
        return pendingPong != null && outputEmpty();
    }

    /** Whether bytes are waiting to be written. */
    public boolean hasOutput() {
        return pendingPong != null || !outputEmpty();
    }

    /** How many bytes are waiting to be written (an automatic pong not yet encoded excluded). */
    public long outputBytes() {
        return outputBytes;
    }

    /**
     * Hands over every byte waiting to be written, in order, as buffers ready to be read (suited to
     * a gathering write), and forgets them.
     */
    public ByteBuffer[] takeOutput() {
        flushPong();
        if (output == null) {
            return new ByteBuffer[0];
        }
        ByteBuffer[] out = output.toArray(new ByteBuffer[0]);
        output.clear();
        outputBytes = 0;
        return out;
    }

    /**
     * Like {@link #takeOutput()}, handing each buffer to {@code sink} in order instead of
     * allocating an array: the form an IO layer's hot path wants.
     */
    public void takeOutput(Consumer<? super ByteBuffer> sink) {
        flushPong();
        if (output != null) {
            for (ByteBuffer b; (b = output.poll()) != null; ) {
                sink.accept(b);
            }
        }
        outputBytes = 0;
    }

    /** Like {@link #takeOutput()}, joined into one buffer; convenient for tests and small writes. */
    public ByteBuffer takeOutputJoined() {
        flushPong();
        ByteBuffer joined = ByteBuffer.allocate(Math.toIntExact(outputBytes));
        if (output != null) {
            for (ByteBuffer b : output) {
                joined.put(b);
            }
            output.clear();
        }
        outputBytes = 0;
        return joined.flip();
    }
}
