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
 *   <tr><td>{@link #localNoContextTakeover()}</td><td>false</td>
 *       <td>RFC 7692's default: we do not promise the peer to compress each message on its own,
 *       which leaves {@link Sharing#ADAPTIVE} free to keep a context on the connections where it
 *       pays and to compress without one everywhere else. {@code withLocalNoContextTakeover(true)}
 *       promises it (and then every message is compressed on its own).</td></tr>
 *   <tr><td>{@link #peerNoContextTakeover()}</td><td>false</td>
 *       <td>The peer keeps its compression context, as RFC 7692 lets it by default: its messages
 *       compress better and cost it (and our decompressor) less CPU. Measured with the benchmark's
 *       4 KiB and 32-byte deflate echo (BENCHMARKS.md, "Deflate: what the peer is asked"): asking
 *       for no context takeover halved the 32-byte rate and cost a quarter of the 4 KiB rate. The
 *       price is a decompressor with its 32 KiB window (about 40 KiB) held by each connection from
 *       its first compressed message on; {@code withPeerNoContextTakeover(true)} gives that memory
 *       back at the peer's expense.</td></tr>
 *   <tr><td>{@link #sharing()}</td><td>{@link Sharing#ADAPTIVE}</td>
 *       <td>A zlib compressor costs about 256 KiB of native memory, so a connection borrows its
 *       thread's and compresses each message on its own (a broadcast is compressed once for every
 *       recipient: DESIGN.md "encode once, send many"). Only a connection that keeps sending
 *       messages of its own gets a compressor that keeps its context: consecutive messages that look
 *       alike then compress to a fraction of their size on their own, and the peer inflates them
 *       for less (the 4 KiB
 *       deflate echo: BENCHMARKS.md, "Deflate: a kept context where it pays").</td></tr>
 *   <tr><td>{@link #maxKeptContexts()}</td><td>{@value #DEFAULT_MAX_KEPT_CONTEXTS}</td>
 *       <td>Bounds what {@link Sharing#ADAPTIVE} may hold: at most this many connections in the
 *       process keep a compressor at once (about 128 MiB of native memory at the default); the
 *       others compress each message on its own.</td></tr>
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
 * @param sharing whether compressors are per thread, per connection, or per connection only where
 *     it pays
 * @param minMessageSize messages shorter than this many bytes are sent uncompressed
 * @param offerClientMaxWindowBits whether a client offers {@code client_max_window_bits} (without
 *     a value)
 * @param maxKeptContexts with {@link Sharing#ADAPTIVE}, how many connections of this process may
 *     hold a compressor that keeps its context at once
 */
public record DeflateConfig(
        int compressionLevel,
        boolean localNoContextTakeover,
        boolean peerNoContextTakeover,
        Sharing sharing,
        int minMessageSize,
        boolean offerClientMaxWindowBits,
        int maxKeptContexts) {

    /** Level 1: throughput first. */
    public static final int DEFAULT_COMPRESSION_LEVEL = Deflater.BEST_SPEED;

    /** 256 bytes. */
    public static final int DEFAULT_MIN_MESSAGE_SIZE = 256;

    /** 512 connections, about 128 MiB of native zlib state. */
    public static final int DEFAULT_MAX_KEPT_CONTEXTS = 512;

    private static final DeflateConfig DEFAULTS = new DeflateConfig(
            DEFAULT_COMPRESSION_LEVEL,
            false,
            false,
            Sharing.ADAPTIVE,
            DEFAULT_MIN_MESSAGE_SIZE,
            false,
            DEFAULT_MAX_KEPT_CONTEXTS);

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
        DEDICATED,
        /**
         * Per thread, as {@link #SHARED_PER_THREAD}, until a connection shows that it sends a steady
         * stream of compressed messages of its own (8 between two of its keepalive checks, see
         * {@link MessageDeflater#releaseIfIdle}); then a compressor of its own that keeps the
         * context, while fewer than {@link #maxKeptContexts()} are held in the process, given back
         * when the connection has compressed nothing since its previous check. Needs context
         * takeover on our side to be allowed ({@link #localNoContextTakeover()} false, and the peer
         * did not ask for it); otherwise it is {@link #SHARED_PER_THREAD}. Messages compressed once
         * for many connections (broadcasts) may still be sent: a kept context is then restarted.
         */
        ADAPTIVE
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
        if (maxKeptContexts < 0) {
            throw new IllegalArgumentException("maxKeptContexts must be >= 0: " + maxKeptContexts);
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
                offerClientMaxWindowBits,
                maxKeptContexts);
    }

    /**
     * A copy with context takeover switched off ({@code true}) or on for what we send. Switching it
     * on with {@link Sharing#SHARED_PER_THREAD} also switches {@link #sharing()} to {@link
     * Sharing#DEDICATED}; {@link Sharing#ADAPTIVE} stays.
     */
    public DeflateConfig withLocalNoContextTakeover(boolean noContextTakeover) {
        Sharing newSharing = noContextTakeover || sharing != Sharing.SHARED_PER_THREAD ? sharing : Sharing.DEDICATED;
        return new DeflateConfig(
                compressionLevel,
                noContextTakeover,
                peerNoContextTakeover,
                newSharing,
                minMessageSize,
                offerClientMaxWindowBits,
                maxKeptContexts);
    }

    /** A copy that asks ({@code true}) or does not ask the peer to switch context takeover off. */
    public DeflateConfig withPeerNoContextTakeover(boolean noContextTakeover) {
        return new DeflateConfig(
                compressionLevel,
                localNoContextTakeover,
                noContextTakeover,
                sharing,
                minMessageSize,
                offerClientMaxWindowBits,
                maxKeptContexts);
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
                offerClientMaxWindowBits,
                maxKeptContexts);
    }

    /** A copy with another threshold below which messages are sent uncompressed. */
    public DeflateConfig withMinMessageSize(int bytes) {
        return new DeflateConfig(
                compressionLevel,
                localNoContextTakeover,
                peerNoContextTakeover,
                sharing,
                bytes,
                offerClientMaxWindowBits,
                maxKeptContexts);
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
                compressionLevel,
                localNoContextTakeover,
                peerNoContextTakeover,
                sharing,
                minMessageSize,
                offer,
                maxKeptContexts);
    }

    /**
     * A copy where {@link Sharing#ADAPTIVE} lets at most {@code connections} connections of the
     * process keep a compressor at once; 0 keeps none (every message compressed on its own).
     */
    public DeflateConfig withMaxKeptContexts(int connections) {
        return new DeflateConfig(
                compressionLevel,
                localNoContextTakeover,
                peerNoContextTakeover,
                sharing,
                minMessageSize,
                offerClientMaxWindowBits,
                connections);
    }
}
