package dev.parley.protocol.deflate;

import java.util.zip.Deflater;

/**
 * How this endpoint wants permessage-deflate (RFC 7692) to work, before negotiation: what to ask
 * of the peer, how hard to compress, and how to share compressors between connections. One
 * instance is normally shared by every connection of a server or client; an immutable value, safe
 * to share between threads. {@link PerMessageDeflate} turns it into an offer or a response, and
 * {@link MessageDeflater#create} into a compressor.
 *
 * <p>"Local" means the direction this endpoint sends, "peer" the direction it receives, whatever
 * its {@link dev.parley.protocol.Role}.
 *
 * <table>
 *   <caption>Defaults, and why</caption>
 *   <tr><th>setting</th><th>default</th><th>why</th></tr>
 *   <tr><td>{@link #compressionLevel()}</td><td>1 ({@link Deflater#BEST_SPEED})</td>
 *       <td>Compression runs on the event loop, in the send path. For the small JSON and text
 *       messages a messaging server carries, level 1 gets most of the size reduction of level 6 at
 *       a fraction of the CPU, and throughput is the goal.</td></tr>
 *   <tr><td>{@link #localNoContextTakeover()}</td><td>true</td>
 *       <td>Without context takeover a message compresses to the same bytes for every recipient,
 *       so a broadcast compresses once (DESIGN.md "encode once, send many"), and no compressor is
 *       held per connection: a zlib compressor costs about 256 KiB of native memory.</td></tr>
 *   <tr><td>{@link #peerNoContextTakeover()}</td><td>false</td>
 *       <td>The peer keeps its compression context, as RFC 7692 lets it by default: its messages
 *       compress better and cost it (and our decompressor) less CPU. Measured with the benchmark's
 *       4 KiB and 32-byte deflate echo (BENCHMARKS.md, "Deflate: what the peer is asked"): asking
 *       for no context takeover halved the 32-byte rate and cost a quarter of the 4 KiB rate. The
 *       price is a decompressor with its 32 KiB window (about 40 KiB) held by each connection from
 *       its first compressed message on; {@code withPeerNoContextTakeover(true)} gives that memory
 *       back at the peer's expense.</td></tr>
 *   <tr><td>{@link #sharing()}</td><td>{@link Sharing#SHARED_PER_THREAD}</td>
 *       <td>Compression state is the largest per-connection cost; sharing makes it per
 *       thread.</td></tr>
 *   <tr><td>{@link #minMessageSize()}</td><td>256 bytes</td>
 *       <td>RFC 7692 §6 lets each message choose (RSV1 clear = sent as is). Below a few hundred
 *       bytes a fresh DEFLATE stream saves little or nothing, and a payload under 126 bytes
 *       already gets the smallest frame header.</td></tr>
 *   <tr><td>{@link #offerClientMaxWindowBits()}</td><td>false</td>
 *       <td>See that method: offering it only gives the server a way to fail the handshake.</td></tr>
 * </table>
 *
 * @param compressionLevel zlib level, 0 (stored only) to 9
 * @param localNoContextTakeover reset our compressor after every message, and say so in the
 *     handshake ({@code client_no_context_takeover} in a client's offer, {@code
 *     server_no_context_takeover} in a server's response)
 * @param peerNoContextTakeover ask the peer to reset its compressor after every message ({@code
 *     server_no_context_takeover} in a client's offer, {@code client_no_context_takeover} in a
 *     server's response)
 * @param sharing whether compressors are per thread or per connection
 * @param minMessageSize messages shorter than this many bytes are sent uncompressed
 * @param offerClientMaxWindowBits whether a client offers {@code client_max_window_bits} (without
 *     a value)
 */
public record DeflateConfig(
        int compressionLevel,
        boolean localNoContextTakeover,
        boolean peerNoContextTakeover,
        Sharing sharing,
        int minMessageSize,
        boolean offerClientMaxWindowBits) {

    /** Level 1: throughput first. */
    public static final int DEFAULT_COMPRESSION_LEVEL = Deflater.BEST_SPEED;

    /** 256 bytes. */
    public static final int DEFAULT_MIN_MESSAGE_SIZE = 256;

    private static final DeflateConfig DEFAULTS = new DeflateConfig(
            DEFAULT_COMPRESSION_LEVEL, true, false, Sharing.SHARED_PER_THREAD, DEFAULT_MIN_MESSAGE_SIZE, false);

    /** Where compressors live. */
    public enum Sharing {
        /**
         * One compressor per thread (per compression level), borrowed for the duration of one
         * {@link MessageDeflater#compress} call, so an idle connection holds none. Requires {@link
         * #localNoContextTakeover()}: a shared compressor cannot keep one connection's history.
         */
        SHARED_PER_THREAD,
        /**
         * One compressor per connection, created at its first compressed message and ended by
         * {@link MessageDeflater#close()}. Needed for context takeover on the sending side, which
         * compresses better when consecutive messages look alike.
         */
        DEDICATED
    }

    /** Validates the values. */
    public DeflateConfig {
        if (compressionLevel < 0 || compressionLevel > 9) {
            throw new IllegalArgumentException("compressionLevel must be 0..9: " + compressionLevel);
        }
        if (sharing == null) {
            throw new IllegalArgumentException("sharing must not be null");
        }
        if (sharing == Sharing.SHARED_PER_THREAD && !localNoContextTakeover) {
            throw new IllegalArgumentException(
                    "SHARED_PER_THREAD needs localNoContextTakeover: a shared compressor cannot keep a connection's context");
        }
        if (minMessageSize < 0) {
            throw new IllegalArgumentException("minMessageSize must be >= 0: " + minMessageSize);
        }
    }

    /** The defaults listed above. */
    public static DeflateConfig defaults() {
        return DEFAULTS;
    }

    /** A copy with another compression level, 0..9. */
    public DeflateConfig withCompressionLevel(int level) {
        return new DeflateConfig(
                level,
                localNoContextTakeover,
                peerNoContextTakeover,
                sharing,
                minMessageSize,
                offerClientMaxWindowBits);
    }

    /**
     * A copy with context takeover switched off ({@code true}) or on for what we send. Switching it
     * on also switches {@link #sharing()} to {@link Sharing#DEDICATED}, the only mode that allows
     * it.
     */
    public DeflateConfig withLocalNoContextTakeover(boolean noContextTakeover) {
        Sharing newSharing = noContextTakeover ? sharing : Sharing.DEDICATED;
        return new DeflateConfig(
                compressionLevel,
                noContextTakeover,
                peerNoContextTakeover,
                newSharing,
                minMessageSize,
                offerClientMaxWindowBits);
    }

    /** A copy that asks ({@code true}) or does not ask the peer to switch context takeover off. */
    public DeflateConfig withPeerNoContextTakeover(boolean noContextTakeover) {
        return new DeflateConfig(
                compressionLevel,
                localNoContextTakeover,
                noContextTakeover,
                sharing,
                minMessageSize,
                offerClientMaxWindowBits);
    }

    /**
     * A copy with another sharing mode. {@link Sharing#SHARED_PER_THREAD} also switches {@link
     * #localNoContextTakeover()} on, which it requires.
     */
    public DeflateConfig withSharing(Sharing newSharing) {
        boolean localNct = localNoContextTakeover || newSharing == Sharing.SHARED_PER_THREAD;
        return new DeflateConfig(
                compressionLevel,
                localNct,
                peerNoContextTakeover,
                newSharing,
                minMessageSize,
                offerClientMaxWindowBits);
    }

    /** A copy with another threshold below which messages are sent uncompressed. */
    public DeflateConfig withMinMessageSize(int bytes) {
        return new DeflateConfig(
                compressionLevel,
                localNoContextTakeover,
                peerNoContextTakeover,
                sharing,
                bytes,
                offerClientMaxWindowBits);
    }

    /**
     * A copy where a client does or does not offer {@code client_max_window_bits}. The offer carries
     * no value (RFC 7692 §7.1.2.2: a value would only be a hint, and 15 is what we use anyway). The
     * JDK's {@link Deflater} always compresses with a 15-bit window, so if the server answers with a
     * smaller {@code client_max_window_bits} the handshake fails; only enable this for servers that
     * insist on seeing the parameter.
     */
    public DeflateConfig withOfferClientMaxWindowBits(boolean offer) {
        return new DeflateConfig(
                compressionLevel, localNoContextTakeover, peerNoContextTakeover, sharing, minMessageSize, offer);
    }
}
