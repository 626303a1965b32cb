package dev.parley.protocol.deflate;

import dev.parley.protocol.Role;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;

/**
 * Compresses whole messages for one connection's outbound direction (RFC 7692 §7.2.1). Create one
 * per connection with {@link #create} once the handshake agreed on permessage-deflate, call {@link
 * #shouldCompress} and {@link #compress} per message, {@link #releaseIfIdle()} now and then, and
 * {@link #close()} when the connection ends.
 *
 * <p><b>Where the compressor lives.</b> With {@link DeflateConfig.Sharing#SHARED_PER_THREAD}
 * (which needs no context takeover on our side), each {@link #compress} call borrows the calling
 * thread's {@link Deflater} and resets it, so this object holds no native memory at all and the
 * output depends only on the message: one compression can serve every recipient of a broadcast.
 * With {@link DeflateConfig.Sharing#DEDICATED} a compressor of its own is created at the first
 * compressed message, reset before each message when our side has no context takeover, and ended
 * by {@link #close()}. With {@link DeflateConfig.Sharing#ADAPTIVE} and context takeover allowed,
 * messages are compressed as in shared mode until {@value #PROMOTE_AFTER} have been compressed
 * between two {@link #releaseIfIdle()} calls; then, if the process holds fewer than {@link
 * DeflateConfig#maxKeptContexts()} such compressors, the connection gets one that keeps its context,
 * until a {@link #releaseIfIdle()} finds it unused since the previous call. Switching between the
 * two is invisible to the peer: a fresh compressor only ever refers back to what it compressed
 * itself, which the peer's decompressor holds too (RFC 7692 §7.2.1 leaves the sender free to use
 * less of its context than it may).
 *
 * <p><b>Threading.</b> Not thread-safe: one connection sends from one thread at a time. Shared
 * mode is safe with any number of instances on any threads.
 *
 * <p><b>Buffers.</b> {@link #compress} reads the payload without moving its position and keeps no
 * reference to it; it returns a new heap buffer, exactly sized, that the caller owns.
 */
public final class MessageDeflater implements AutoCloseable {

    /**
     * {@link DeflateConfig.Sharing#ADAPTIVE}: how many messages a connection compresses between two
     * {@link #releaseIfIdle()} calls before it gets a compressor that keeps its context.
     */
    public static final int PROMOTE_AFTER = 8;

    /** Set as input after each call so the compressor keeps no reference to the caller's buffer. */
    private static final byte[] EMPTY = new byte[0];

    /** Compressors held in this process by {@link DeflateConfig.Sharing#ADAPTIVE} connections. */
    private static final AtomicInteger KEPT = new AtomicInteger();

    private final int level;
    private final boolean noContextTakeover;
    private final boolean shared;
    private final boolean adaptive;
    private final int maxKept;
    private final int minMessageSize;
    private Deflater dedicated;
    /** Adaptive: messages compressed since the last {@link #releaseIfIdle()}. */
    private int recent;
    /** Adaptive: the peer's window no longer matches the kept compressor's (a shared frame went out). */
    private boolean stale;

    private boolean closed;

    private MessageDeflater(
            int level, boolean noContextTakeover, boolean shared, boolean adaptive, int maxKept, int minMessageSize) {
        this.level = level;
        this.noContextTakeover = noContextTakeover;
        this.shared = shared;
        this.adaptive = adaptive;
        this.maxKept = maxKept;
        this.minMessageSize = minMessageSize;
    }

    /**
     * A compressor for what {@code local} sends under {@code parameters}. If the parameters keep
     * context for our side, {@link DeflateConfig.Sharing#SHARED_PER_THREAD} is impossible and a
     * dedicated compressor is used instead (negotiation by {@link PerMessageDeflate} never produces
     * that combination); if they do not, {@link DeflateConfig.Sharing#ADAPTIVE} is shared mode.
     */
    public static MessageDeflater create(DeflateParameters parameters, Role local, DeflateConfig config) {
        boolean nct = parameters.noContextTakeover(local);
        DeflateConfig.Sharing sharing = config.sharing();
        boolean shared = nct && sharing != DeflateConfig.Sharing.DEDICATED;
        boolean adaptive = !nct && sharing == DeflateConfig.Sharing.ADAPTIVE;
        return new MessageDeflater(
                config.compressionLevel(), nct, shared, adaptive, config.maxKeptContexts(), config.minMessageSize());
    }

    /**
     * Whether every message is compressed on its own (no context takeover on our side): then the
     * same message gives the same bytes on every connection with the same level.
     */
    public boolean isStateless() {
        return noContextTakeover;
    }

    /**
     * Whether a frame compressed once without context for many connections (a broadcast) may be sent
     * on this connection in place of {@link #compress}: when every message is compressed on its own,
     * and in adaptive mode, which then restarts its kept context ({@link #sharedFrameSent()}).
     */
    public boolean acceptsSharedFrames() {
        return noContextTakeover || adaptive;
    }

    /**
     * Tells this compressor that a message compressed elsewhere without context went out on its
     * connection, after everything it compressed itself: the peer's window now ends with that
     * message, so a kept context must not be referred to again.
     */
    public void sharedFrameSent() {
        if (dedicated != null && !noContextTakeover) {
            stale = true;
        }
    }

    /** The compression level. */
    public int level() {
        return level;
    }

    /**
     * Whether a message of {@code payloadLength} bytes is worth compressing. RFC 7692 §6 decides per
     * message: the others are sent as they are, with RSV1 clear, and never touch the compressor (so
     * context takeover stays in step with the peer).
     */
    public boolean shouldCompress(long payloadLength) {
        return payloadLength >= minMessageSize;
    }

    /**
     * Compresses one whole message into the payload of its frame(s), to be sent with RSV1 set on the
     * first frame. The result is a raw DEFLATE stream flushed with SYNC_FLUSH, without the final
     * {@code 00 00 ff ff} (RFC 7692 §7.2.1); an empty message gives the single byte {@code 00}
     * (§7.2.3.6).
     *
     * @param payload the message; its remaining bytes are read, its position is not moved
     * @return a new buffer owned by the caller, positioned at 0
     * @throws IllegalStateException after {@link #close()}
     */
    public ByteBuffer compress(ByteBuffer payload) {
        if (closed) {
            throw new IllegalStateException("compress in state CLOSED");
        }
        PerThreadCodecs codecs = PerThreadCodecs.current();
        Deflater deflater = shared ? codecs.deflater(level) : adaptive ? adaptive(codecs) : dedicated();
        try {
            return ByteBuffer.wrap(deflate(deflater, payload.duplicate(), codecs.scratch()));
        } finally {
            // Drop the reference to the caller's buffer: the deflater may outlive this call.
            deflater.setInput(EMPTY);
        }
    }

    /**
     * Adaptive mode: gives back a kept compressor that has compressed nothing since the previous
     * call, and starts counting again towards {@value #PROMOTE_AFTER}. A connection calls it on a
     * slow timer (Parley's WebSocket sessions: at each keepalive check). Does nothing in other
     * modes.
     */
    public void releaseIfIdle() {
        if (dedicated != null && adaptive && recent == 0) {
            endDedicated();
        }
        recent = 0;
    }

    /**
     * Whether this object holds a native compressor now: never in shared mode; in dedicated mode
     * from the first compressed message until {@link #close()}; in adaptive mode while it keeps a
     * context.
     */
    public boolean holdsDeflater() {
        return dedicated != null;
    }

    /** How many adaptive connections of this process hold a compressor now. */
    public static int keptContexts() {
        return KEPT.get();
    }

    /** Ends a dedicated compressor's native memory. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (dedicated != null) {
            endDedicated();
        }
    }

    private void endDedicated() {
        dedicated.end();
        dedicated = null;
        stale = false;
        if (adaptive) {
            KEPT.decrementAndGet();
        }
    }

    private Deflater dedicated() {
        if (dedicated == null) {
            dedicated = new Deflater(level, true);
        } else if (noContextTakeover) {
            // §7.1.1: without context takeover each message starts a fresh stream with an empty window.
            dedicated.reset();
        }
        return dedicated;
    }

    private Deflater adaptive(PerThreadCodecs codecs) {
        recent++;
        if (dedicated != null) {
            if (stale) {
                dedicated.reset();
                stale = false;
            }
            return dedicated;
        }
        if (recent >= PROMOTE_AFTER && reserveKept()) {
            dedicated = new Deflater(level, true);
            return dedicated;
        }
        return codecs.deflater(level);
    }

    private boolean reserveKept() {
        while (true) {
            int held = KEPT.get();
            if (held >= maxKept) {
                return false;
            }
            if (KEPT.compareAndSet(held, held + 1)) {
                return true;
            }
        }
    }

    private static byte[] deflate(Deflater deflater, ByteBuffer input, byte[] scratch) {
        deflater.setInput(input);
        byte[] out = scratch;
        int length = 0;
        while (true) {
            int space = out.length - length;
            int written = deflater.deflate(out, length, space, Deflater.SYNC_FLUSH);
            length += written;
            // Deflater#deflate: with SYNC_FLUSH, a full buffer means there may be more to come.
            if (written < space) {
                break;
            }
            out = Arrays.copyOf(out, out.length * 2);
        }
        return stripSyncMarker(out, length);
    }

    /**
     * RFC 7692 §7.2.1: the stream ends with the empty stored block of the sync flush, {@code 00 00
     * ff ff}, which the receiver appends again (§7.2.2). zlib writes nothing at all for an empty
     * input when its stream is already flushed (context takeover after a message); then the single
     * {@code 00} of §7.2.3.6 stands for an empty stored block, which the receiver completes with the
     * same marker.
     */
    private static byte[] stripSyncMarker(byte[] out, int length) {
        if (length == 0) {
            return new byte[] {0};
        }
        if (length < 4
                || out[length - 4] != 0
                || out[length - 3] != 0
                || out[length - 2] != (byte) 0xff
                || out[length - 1] != (byte) 0xff) {
            throw new IllegalStateException("deflater output does not end with a sync flush");
        }
        if (length == 4) {
            return new byte[] {0};
        }
        return Arrays.copyOf(out, length - 4);
    }
}
