package dev.parley.protocol.deflate;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolViolation;
import dev.parley.protocol.Role;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses the messages one connection receives with RSV1 set (RFC 7692 §7.2.2), streaming:
 * the compressed payload may arrive in any number of pieces (frames, partial reads), and the
 * decompressed bytes go to a {@link Sink} in chunks of at most {@link #CHUNK_SIZE} bytes as soon as
 * they are available. Create one per connection with {@link #create}; call {@link #inflate} for
 * every piece of a compressed message, the last one with {@code endOfMessage}; {@link #close()}
 * when the connection ends.
 *
 * <p><b>Limits.</b> The decompressed size of each message is checked as it grows: once it would
 * pass {@code maxMessageSize}, inflation stops and {@link ProtocolViolation#MESSAGE_TOO_BIG} is
 * thrown, so a small "bomb" costs at most the limit plus one chunk of work, and the sink never
 * receives more than the limit. Corrupt data throws {@link
 * ProtocolViolation#INVALID_COMPRESSED_DATA}. After either, or after the sink throws, this object
 * is failed: every later call throws {@link IllegalStateException}.
 *
 * <p><b>Where the decompressor lives.</b> If the peer has no context takeover, an {@link Inflater}
 * is borrowed from the thread at the first piece of a message and given back at its end, so an
 * idle connection holds none. Otherwise a dedicated one is created at the first compressed message
 * and kept, with its 32 KiB window, until {@link #close()}.
 *
 * <p><b>Threading.</b> Not thread-safe: one connection reads on one thread at a time. A message
 * may be continued on another thread than the one that started it.
 *
 * <p><b>Buffers.</b> {@link #inflate} consumes its input: on return the chunk's position equals
 * its limit, and no reference to it is kept. The buffer handed to the sink belongs to this class
 * and is valid only during {@link Sink#accept}: copy what you keep.
 */
public final class MessageInflater implements AutoCloseable {

    /** The largest chunk handed to the sink, and the granularity of the size check. */
    public static final int CHUNK_SIZE = 8 * 1024;

    /** RFC 7692 §7.2.2: appended to every compressed message before inflating it. */
    private static final byte[] SYNC_MARKER = {0, 0, (byte) 0xff, (byte) 0xff};

    private static final byte[] EMPTY = new byte[0];

    private enum State {
        IDLE,
        IN_MESSAGE,
        /** The peer ended its DEFLATE stream (BFINAL) inside the current message. */
        STREAM_ENDED,
        FAILED,
        CLOSED
    }

    /** Receives decompressed bytes. */
    @FunctionalInterface
    public interface Sink {
        /**
         * Takes the next decompressed bytes of the message: {@code chunk}'s remaining bytes, never
         * empty. The buffer is lent for this call only. Throwing (for example invalid UTF-8 in a
         * text message) stops inflation and fails the inflater.
         */
        void accept(ByteBuffer chunk) throws ProtocolException;
    }

    private final boolean peerNoContextTakeover;
    private final long maxMessageSize;
    /** Output asked of zlib per call: smaller than {@link #CHUNK_SIZE} when the limit is. */
    private final int chunkSize;

    private Inflater inflater;
    private State state = State.IDLE;
    private long messageSize;
    private long compressedSize;

    private MessageInflater(boolean peerNoContextTakeover, long maxMessageSize) {
        if (maxMessageSize < 0) {
            throw new IllegalArgumentException("maxMessageSize must be >= 0: " + maxMessageSize);
        }
        this.peerNoContextTakeover = peerNoContextTakeover;
        this.maxMessageSize = maxMessageSize;
        this.chunkSize = maxMessageSize >= CHUNK_SIZE ? CHUNK_SIZE : (int) maxMessageSize + 1;
    }

    /**
     * A decompressor for what the peer of {@code local} sends under {@code parameters}.
     *
     * @param maxMessageSize the largest decompressed message, normally {@link
     *     dev.parley.protocol.Limits#maxMessageSize()}
     */
    public static MessageInflater create(DeflateParameters parameters, Role local, long maxMessageSize) {
        return new MessageInflater(parameters.noContextTakeover(local.peer()), maxMessageSize);
    }

    /**
     * Inflates the next piece of a compressed message.
     *
     * @param compressedChunk the piece, possibly empty; consumed
     * @param endOfMessage whether this piece ends the message (the frame had FIN set)
     * @param sink receives the decompressed bytes
     * @throws ProtocolException {@link ProtocolViolation#MESSAGE_TOO_BIG}, {@link
     *     ProtocolViolation#INVALID_COMPRESSED_DATA}, or whatever the sink threw
     * @throws IllegalStateException after a failure or {@link #close()}
     */
    public void inflate(ByteBuffer compressedChunk, boolean endOfMessage, Sink sink) throws ProtocolException {
        if (state == State.FAILED || state == State.CLOSED) {
            throw new IllegalStateException("inflate in state " + state);
        }
        if (state == State.IDLE) {
            inflater = inflater != null ? inflater : acquire();
            state = State.IN_MESSAGE;
        }
        PerThreadCodecs codecs = PerThreadCodecs.current();
        byte[] out = codecs.borrowInflateOutput();
        boolean ok = false;
        try {
            compressedSize += compressedChunk.remaining();
            feed(compressedChunk, out, sink);
            if (endOfMessage) {
                // An empty payload holds no DEFLATE data at all (§7.2.3.6 sends an empty message as
                // 00). Taking it as an empty message is harmless; feeding the bare marker would leave
                // zlib inside a stored block and corrupt the next message's context.
                if (state == State.IN_MESSAGE && compressedSize > 0) {
                    feed(ByteBuffer.wrap(SYNC_MARKER), out, sink);
                }
                endMessage();
            }
            ok = true;
        } catch (DataFormatException e) {
            throw new ProtocolException(ProtocolViolation.INVALID_COMPRESSED_DATA, e.getMessage());
        } finally {
            codecs.giveBackInflateOutput(out);
            if (!ok) {
                fail();
            }
        }
    }

    /** Whether a native decompressor is held right now; false on an idle connection without context takeover. */
    public boolean holdsInflater() {
        return inflater != null;
    }

    /** Ends or gives back the decompressor. Idempotent; a message in progress is abandoned. */
    @Override
    public void close() {
        release();
        state = State.CLOSED;
    }

    private Inflater acquire() {
        return peerNoContextTakeover ? PerThreadCodecs.current().borrowInflater() : new Inflater(true);
    }

    private void feed(ByteBuffer input, byte[] out, Sink sink) throws DataFormatException, ProtocolException {
        if (state == State.STREAM_ENDED) {
            // §7.2.3.4: after a block with BFINAL the stream is over; the rest of the message (the
            // RFC's own example has an empty stored block there) carries nothing.
            input.position(input.limit());
            return;
        }
        Inflater inf = inflater;
        inf.setInput(input);
        try {
            while (true) {
                long readBefore = inf.getBytesRead();
                int n = inf.inflate(out, 0, chunkSize);
                if (n > 0) {
                    messageSize += n;
                    if (messageSize > maxMessageSize) {
                        throw new ProtocolException(
                                ProtocolViolation.MESSAGE_TOO_BIG, messageSize + " > " + maxMessageSize);
                    }
                    sink.accept(ByteBuffer.wrap(out, 0, n));
                }
                if (inf.finished()) {
                    state = State.STREAM_ENDED;
                    input.position(input.limit());
                    return;
                }
                if (n == 0) {
                    if (inf.needsInput()) {
                        return;
                    }
                    if (inf.needsDictionary() || inf.getBytesRead() == readBefore) {
                        // A raw stream cannot ask for a dictionary; no progress at all means zlib is stuck.
                        throw new DataFormatException("stream cannot make progress");
                    }
                }
            }
        } finally {
            inf.setInput(EMPTY);
        }
    }

    private void endMessage() {
        messageSize = 0;
        compressedSize = 0;
        if (peerNoContextTakeover) {
            // §7.1.1.2/§7.1.1.1: the next message starts a fresh stream, so nothing needs keeping.
            release();
        } else if (state == State.STREAM_ENDED) {
            // The peer ended its stream: whatever it sends next is a new one, with no history.
            inflater.reset();
        }
        state = State.IDLE;
    }

    private void fail() {
        release();
        state = State.FAILED;
    }

    private void release() {
        Inflater inf = inflater;
        inflater = null;
        if (inf == null) {
            return;
        }
        if (peerNoContextTakeover) {
            PerThreadCodecs.current().giveBack(inf);
        } else {
            inf.end();
        }
    }
}
