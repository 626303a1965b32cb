package dev.parley.protocol.deflate;

import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The zlib objects and scratch space kept per thread, so that connections without context
 * takeover hold none while idle. Everything here is used by one thread only, and only inside one
 * call (deflater, scratch) or between a borrow and a give-back (inflater): no locking needed.
 * Native memory is freed by the JDK's cleaner when a thread dies.
 */
final class PerThreadCodecs {

    /** Compression output is gathered here, then copied to an exactly sized array. */
    static final int SCRATCH_SIZE = 64 * 1024;

    private static final ThreadLocal<PerThreadCodecs> CURRENT = ThreadLocal.withInitial(PerThreadCodecs::new);

    /** One per compression level, created on first use. */
    private final Deflater[] deflaters = new Deflater[10];

    private byte[] scratch;

    /** Inflation output, lent for one {@link MessageInflater#inflate} call; null while lent. */
    private byte[] inflateOutput = new byte[MessageInflater.CHUNK_SIZE];

    /** One idle inflater; a second concurrent borrower on this thread gets a new one. */
    private Inflater spareInflater;

    private PerThreadCodecs() {}

    static PerThreadCodecs current() {
        return CURRENT.get();
    }

    /** The thread's deflater for {@code level}, reset: a fresh stream with no history. */
    Deflater deflater(int level) {
        Deflater d = deflaters[level];
        if (d == null) {
            d = new Deflater(level, true);
            deflaters[level] = d;
        } else {
            d.reset();
        }
        return d;
    }

    byte[] scratch() {
        if (scratch == null) {
            scratch = new byte[SCRATCH_SIZE];
        }
        return scratch;
    }

    /**
     * A {@link MessageInflater#CHUNK_SIZE} array for the duration of one call. A nested call on the
     * same thread (a sink that inflates another message) gets a new one rather than a shared one.
     */
    byte[] borrowInflateOutput() {
        byte[] out = inflateOutput;
        if (out == null) {
            return new byte[MessageInflater.CHUNK_SIZE];
        }
        inflateOutput = null;
        return out;
    }

    void giveBackInflateOutput(byte[] out) {
        inflateOutput = out;
    }

    /** A raw inflater in its initial state, to keep until {@link #giveBack}. */
    Inflater borrowInflater() {
        Inflater i = spareInflater;
        if (i == null) {
            return new Inflater(true);
        }
        spareInflater = null;
        return i;
    }

    /** Takes back an inflater from {@link #borrowInflater}, resetting it, or ends it if one is kept. */
    void giveBack(Inflater inflater) {
        if (spareInflater == null) {
            inflater.reset();
            spareInflater = inflater;
        } else {
            inflater.end();
        }
    }
}
