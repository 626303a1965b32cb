package dev.parley.websocket.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

/**
 * TLS over a non-blocking socket with the JDK's {@link SSLEngine}: {@link #read} returns decrypted
 * application bytes and {@link #write} encrypts, both driving the handshake as they go. Delegated
 * tasks run inline; no thread is started.
 *
 * <p><b>Threading.</b> Used on the owning loop's thread only, like every {@link Transport}.
 *
 * <p><b>Buffers.</b> Records are read, decrypted and encrypted in {@link TlsScratch} buffers that
 * belong to the calling thread (one set per event loop: 64 KiB to read records, 64 KiB to write
 * them, one record's plaintext; more if a session's sizes ask for it). A connection keeps bytes of
 * its own only while they are partial, in heap buffers of exactly their size, and drops them as
 * soon as they are empty:
 *
 * <ul>
 *   <li>{@code inbound}: received bytes not yet decrypted (a record cut by the network, or records
 *       left because the reader's buffer was full; the socket is not read while a whole record
 *       waits, so this stays under 64 KiB);
 *   <li>{@code plaintext}: decrypted bytes that did not fit the reader's buffer (under a record);
 *   <li>{@code outbound}: encrypted records the socket did not take (at most one scratch's worth of
 *       application data, plus handshake records).
 * </ul>
 *
 * An idle connection therefore holds the engine and its session, and no byte buffer.
 *
 * <p><b>Backpressure.</b> {@link #write} returns 0 while encrypted bytes wait for the socket; the
 * caller keeps its own queue and retries after {@link #flushPending} reports them written.
 *
 * <p><b>End of stream.</b> {@link #read} returns -1 after the peer's close_notify, or at TCP end of
 * stream even without one: the WebSocket closing handshake (and HTTP framing) already tell a
 * complete conversation from a cut one.
 */
public final class TlsTransport implements Transport {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int TLS_RECORD_HEADER = 5;
    private static final ThreadLocal<TlsScratch> SCRATCH = ThreadLocal.withInitial(TlsScratch::new);

    private final Transport channel; // the socket under the records
    private final SSLEngine engine;

    private ByteBuffer inbound; // read mode, or null when empty
    private ByteBuffer plaintext; // read mode, or null when empty
    private ByteBuffer outbound; // read mode, or null when empty
    private boolean endOfStream; // the socket returned -1
    private boolean inboundDone; // close_notify received
    private boolean outputShut; // shutdownOutput called
    private boolean finAfterFlush;
    private boolean socketDrained; // within one read: the socket had less than the room offered

    private TlsTransport(Transport channel, SSLEngine engine) throws IOException {
        this.channel = channel;
        this.engine = engine;
        engine.beginHandshake();
        if (engine.getUseClientMode()) {
            // The client speaks first: queue its hello now so that a caller who only waits for
            // readability does not wait forever. Sent here if connected, else by flushPending.
            wrapHandshake(SCRATCH.get());
        }
    }

    /**
     * A transport over {@code channel} (connected, or connecting for a client) with an engine
     * already set up by its owner: client or server mode, protocols, server names, identification.
     * A client's first handshake record is produced here.
     */
    public static TlsTransport of(Transport channel, SSLEngine engine) throws IOException {
        return new TlsTransport(channel, engine);
    }

    /** The engine's session: during the handshake, the one being negotiated. */
    public SSLSession session() {
        SSLSession handshaking = engine.getHandshakeSession();
        return handshaking != null ? handshaking : engine.getSession();
    }

    /** Whether the first handshake has completed. */
    public boolean isHandshakeComplete() {
        return !isHandshaking()
                && engine.getSession().isValid()
                && !"NONE".equals(engine.getSession().getProtocol());
    }

    /** The engine, for tests. */
    SSLEngine engine() {
        return engine;
    }

    /** Bytes this connection holds in its own buffers (0 when idle); for tests and metrics. */
    public int heldBytes() {
        return capacity(inbound) + capacity(plaintext) + capacity(outbound);
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = takePlaintext(dst);
        if (plaintext != null || !dst.hasRemaining()) {
            return n;
        }
        if (inboundDone) {
            return n > 0 ? n : -1;
        }
        // Whole records already held come first: reading more now would let a reader with a small
        // buffer pile up the peer's records here instead of in the socket, where TCP bounds them.
        boolean wholeRecordHeld = hasCompleteRecord(inbound);
        TlsScratch scratch = SCRATCH.get();
        int room = wholeRecordHeld ? 0 : engine.getSession().getPacketBufferSize();
        ByteBuffer net = scratch.net(room, remaining(inbound));
        if (inbound != null) {
            net.put(inbound);
            inbound = null;
        }
        socketDrained = false;
        try {
            if (!endOfStream && !wholeRecordHeld) {
                readSocket(net);
            }
            net.flip();
            n += unwrapInto(dst, net, scratch);
        } catch (SSLException e) {
            throw failed(e);
        } finally {
            inbound = keep(net);
        }
        if (n > 0) {
            return n;
        }
        if (inboundDone || (endOfStream && !hasCompleteRecord(inbound))) {
            return -1;
        }
        return 0;
    }

    /** Decrypts records from {@code net} into {@code dst} until it is full or the records run out. */
    private int unwrapInto(ByteBuffer dst, ByteBuffer net, TlsScratch scratch) throws IOException {
        int n = 0;
        boolean viaScratch = false;
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK && runTasks()) {
                continue;
            }
            if (status == HandshakeStatus.NEED_WRAP && wrapHandshake(scratch)) {
                continue; // our turn in the handshake, or a reply to close_notify
            }
            if (engine.isInboundDone()) {
                inboundDone = true;
                return n;
            }
            if (!dst.hasRemaining() || plaintext != null) {
                return n;
            }
            int applicationSize = engine.getSession().getApplicationBufferSize();
            boolean direct = !viaScratch && dst.remaining() >= applicationSize;
            ByteBuffer target = direct ? dst : scratch.app(applicationSize);
            SSLEngineResult result = engine.unwrap(net, target);
            if (direct) {
                n += result.bytesProduced();
            } else {
                target.flip();
                n += copy(target, dst);
                plaintext = keep(target); // what did not fit waits for the next read
            }
            switch (result.getStatus()) {
                case OK -> {
                    if (result.bytesConsumed() == 0 && result.bytesProduced() == 0 && !engineWantsToAct()) {
                        return n; // nothing moved and nothing else to do: never spin
                    }
                }
                case BUFFER_UNDERFLOW -> {
                    // A partial record: take what the socket has now, else wait for readability.
                    if (endOfStream || socketDrained || !readMore(net)) {
                        return n;
                    }
                }
                case BUFFER_OVERFLOW -> viaScratch = true; // scratch is regrown from the session size
                case CLOSED -> {
                    inboundDone = engine.isInboundDone();
                    if (!inboundDone) {
                        return n;
                    }
                }
            }
        }
    }

    /** Appends what the socket has to {@code net} (read mode); true if bytes came. */
    private boolean readMore(ByteBuffer net) throws IOException {
        net.compact();
        try {
            return readSocket(net) > 0;
        } finally {
            net.flip();
        }
    }

    /** Reads what the socket has into {@code net} (write mode), noting end of stream. */
    private int readSocket(ByteBuffer net) throws IOException {
        int room = net.remaining();
        int r = channel.read(net);
        if (r < 0) {
            endOfStream = true;
        }
        socketDrained = r < room; // a short read: asking again at once would most likely get 0
        return r;
    }

    private int takePlaintext(ByteBuffer dst) {
        if (plaintext == null) {
            return 0;
        }
        int n = copy(plaintext, dst);
        if (!plaintext.hasRemaining()) {
            plaintext = null;
        }
        return n;
    }

    @Override
    public boolean hasBufferedInput() {
        return plaintext != null || hasCompleteRecord(inbound);
    }

    /** Whether {@code buffer} starts with a whole TLS record (RFC 8446 §5.1: type, version, length). */
    private static boolean hasCompleteRecord(ByteBuffer buffer) {
        if (buffer == null || buffer.remaining() < TLS_RECORD_HEADER) {
            return false;
        }
        int p = buffer.position();
        int length = ((buffer.get(p + 3) & 0xff) << 8) | (buffer.get(p + 4) & 0xff);
        return buffer.remaining() >= TLS_RECORD_HEADER + length;
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (outputShut) {
            throw new IOException("TLS output already shut down");
        }
        if (!flushPending()) {
            return 0; // bounded: no more records until the socket has taken the last ones
        }
        TlsScratch scratch = SCRATCH.get();
        long consumed = 0;
        try {
            wrapHandshake(scratch);
            if (outbound != null || isHandshaking()) {
                return 0; // the handshake waits for the peer (read) or for the socket (flush)
            }
            int packetSize = engine.getSession().getPacketBufferSize();
            ByteBuffer out = scratch.out(packetSize);
            while (hasRemaining(srcs, offset, length) && out.remaining() >= packetSize) {
                SSLEngineResult result = engine.wrap(srcs, offset, length, out);
                consumed += result.bytesConsumed();
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    if (consumed == 0 && out.position() == 0) {
                        throw new IOException("TLS connection closed");
                    }
                    break;
                }
                if (result.getStatus() != SSLEngineResult.Status.OK) {
                    break; // overflow: the packet size grew; the next write uses a larger scratch
                }
                if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
                if (engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
                    break; // renegotiation or key update: the peer speaks next
                }
            }
            out.flip();
            send(out);
        } catch (SSLException e) {
            throw failed(e);
        }
        return consumed;
    }

    /** Produces the handshake records the engine asks for and starts sending them; true if any. */
    private boolean wrapHandshake(TlsScratch scratch) throws IOException {
        boolean produced = false;
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
            ByteBuffer out = scratch.out(engine.getSession().getPacketBufferSize());
            SSLEngineResult result = engine.wrap(EMPTY, out);
            out.flip();
            produced |= out.hasRemaining();
            send(out);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                throw new SSLException("TLS record larger than the session's packet size");
            }
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED || result.bytesProduced() == 0) {
                break;
            }
        }
        return produced;
    }

    /** Writes {@code records} after whatever is already waiting; keeps what the socket refuses. */
    private void send(ByteBuffer records) throws IOException {
        if (!records.hasRemaining()) {
            return;
        }
        if (outbound == null) {
            if (channel.connected()) {
                channel.write(records);
            }
            outbound = keep(records);
        } else {
            ByteBuffer joined = ByteBuffer.allocate(outbound.remaining() + records.remaining());
            outbound = joined.put(outbound).put(records).flip();
            flushPending();
        }
    }

    @Override
    public boolean awaitsPeer() {
        return outbound == null && engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP;
    }

    @Override
    public boolean hasPendingOutput() {
        return outbound != null;
    }

    @Override
    public boolean flushPending() throws IOException {
        if (outbound != null) {
            if (!channel.connected()) {
                return false; // a client still connecting sends its hello once connected
            }
            channel.write(outbound);
            if (outbound.hasRemaining()) {
                return false;
            }
            outbound = null;
        }
        if (finAfterFlush) {
            finAfterFlush = false;
            channel.shutdownOutput();
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // Closing

    /** Sends close_notify (RFC 8446 §6.1), then the TCP FIN once it is written. Reading goes on. */
    @Override
    public void shutdownOutput() throws IOException {
        if (outputShut) {
            return;
        }
        outputShut = true;
        engine.closeOutbound();
        wrapHandshake(SCRATCH.get());
        finAfterFlush = true;
        flushPending();
    }

    /** Closes the socket, after one attempt to send close_notify if nothing else is waiting. */
    @Override
    public void close() {
        if (!outputShut && outbound == null && channel.connected()) {
            try {
                engine.closeOutbound();
                wrapHandshake(SCRATCH.get()); // one non-blocking write; a full socket drops it
            } catch (IOException | RuntimeException e) {
                // closing anyway
            }
        }
        outputShut = true;
        inbound = null;
        plaintext = null;
        outbound = null;
        channel.close();
    }

    @Override
    public void register(EventLoop loop, int ops, EventLoop.Handler handler) throws IOException {
        channel.register(loop, ops, handler);
    }

    @Override
    public void attach(EventLoop.Handler handler) {
        channel.attach(handler);
    }

    @Override
    public void interest(int ops) {
        channel.interest(ops);
    }

    @Override
    public boolean connected() {
        return channel.connected();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    // ---------------------------------------------------------------------------------------------

    private boolean isHandshaking() {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED;
    }

    private boolean engineWantsToAct() {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NEED_TASK || (status == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone());
    }

    private boolean runTasks() {
        boolean ran = false;
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run(); // inline: certificate checks are short, and the loop owns this connection
            ran = true;
        }
        return ran;
    }

    /**
     * After a failed unwrap or wrap the engine holds an alert for the peer: send it if the socket
     * takes it at once, then report the failure with the peer's address.
     */
    private IOException failed(SSLException e) {
        try {
            wrapHandshake(SCRATCH.get());
        } catch (IOException | RuntimeException ignored) {
            // the original failure is the one to report
        }
        if (e instanceof SSLHandshakeException) {
            SSLHandshakeException wrapped =
                    new SSLHandshakeException("TLS handshake with " + remoteAddress() + " failed: " + e.getMessage());
            wrapped.initCause(e);
            return wrapped;
        }
        return e;
    }

    private static ByteBuffer keep(ByteBuffer scratch) {
        if (!scratch.hasRemaining()) {
            return null;
        }
        return ByteBuffer.allocate(scratch.remaining()).put(scratch).flip();
    }

    private static int copy(ByteBuffer src, ByteBuffer dst) {
        int n = Math.min(src.remaining(), dst.remaining());
        if (n == src.remaining()) {
            dst.put(src);
        } else {
            int limit = src.limit();
            src.limit(src.position() + n);
            dst.put(src);
            src.limit(limit);
        }
        return n;
    }

    private static boolean hasRemaining(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    private static int remaining(ByteBuffer buffer) {
        return buffer == null ? 0 : buffer.remaining();
    }

    private static int capacity(ByteBuffer buffer) {
        return buffer == null ? 0 : buffer.capacity();
    }
}
