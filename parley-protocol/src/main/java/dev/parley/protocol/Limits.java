package dev.parley.protocol;

/**
 * Size limits applied to everything a peer sends. Every limit is checked against the length a
 * frame <em>declares</em>, before any byte of its payload is buffered, so a frame that announces
 * 2<sup>62</sup> bytes costs nothing. Limits apply to the decompressed size of compressed messages
 * too.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>limit</th><th>default</th><th>exceeded</th></tr>
 *   <tr><td>{@link #maxFramePayload()}</td><td>1 MiB</td><td>close 1009</td></tr>
 *   <tr><td>{@link #maxMessageSize()}</td><td>1 MiB</td><td>close 1009</td></tr>
 *   <tr><td>{@link #maxFragments()}</td><td>4096 frames, empty ones included</td><td>close 1009</td></tr>
 * </table>
 *
 * <p>Control frames are limited to 125 bytes by the RFC (§5.5) whatever these values are.
 *
 * @param maxFramePayload the largest payload one data frame may declare, in bytes
 * @param maxMessageSize the largest message, summed over its fragments and after decompression
 * @param maxFragments the most frames one message may be split into, counting empty frames, which
 *     cost nothing in size but can be sent forever
 */
public record Limits(long maxFramePayload, long maxMessageSize, int maxFragments) {
    /** 1 MiB. */
    public static final long DEFAULT_MAX_FRAME_PAYLOAD = 1L << 20;
    /** 1 MiB. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 1L << 20;
    /** 4096 frames. */
    public static final int DEFAULT_MAX_FRAGMENTS = 4096;

    private static final Limits DEFAULTS =
            new Limits(DEFAULT_MAX_FRAME_PAYLOAD, DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_FRAGMENTS);

    /** Validates the values. */
    public Limits {
        if (maxFramePayload < 0) {
            throw new IllegalArgumentException("maxFramePayload must be >= 0: " + maxFramePayload);
        }
        if (maxMessageSize < 0) {
            throw new IllegalArgumentException("maxMessageSize must be >= 0: " + maxMessageSize);
        }
        if (maxFragments < 1) {
            throw new IllegalArgumentException("maxFragments must be >= 1: " + maxFragments);
        }
    }

    /** The defaults listed above. */
    public static Limits defaults() {
        return DEFAULTS;
    }

    /** A copy with another frame payload limit. */
    public Limits withMaxFramePayload(long bytes) {
        return new Limits(bytes, maxMessageSize, maxFragments);
    }

    /** A copy with another message size limit. */
    public Limits withMaxMessageSize(long bytes) {
        return new Limits(maxFramePayload, bytes, maxFragments);
    }

    /** A copy with another fragment count limit. */
    public Limits withMaxFragments(int frames) {
        return new Limits(maxFramePayload, maxMessageSize, frames);
    }
}
