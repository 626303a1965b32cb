package dev.parley.protocol.deflate;

import dev.parley.protocol.Role;

/**
 * The permessage-deflate configuration both ends agreed on in the opening handshake (RFC 7692
 * §7.1): whether each sender resets its compressor between messages, and the largest LZ77 window
 * each sender may use. Produced by {@link PerMessageDeflate} on either side; an immutable value,
 * safe to share between threads.
 *
 * <p>Parameters are named after the sender whose behaviour they constrain: {@code server*}
 * constrains what the server compresses and the client inflates, {@code client*} the other way.
 * Use {@link #noContextTakeover(Role)} and {@link #maxWindowBits(Role)} to ask from the point of
 * view of a sender instead of remembering which way round that is.
 *
 * @param serverNoContextTakeover the server resets its compressor after every message (§7.1.1.1)
 * @param clientNoContextTakeover the client resets its compressor after every message (§7.1.1.2)
 * @param serverMaxWindowBits base-2 logarithm of the server's largest window, 8..15; 15 when the
 *     response did not say (§7.1.2.1)
 * @param clientMaxWindowBits base-2 logarithm of the client's largest window, 8..15; 15 when the
 *     response did not say (§7.1.2.2)
 */
public record DeflateParameters(
        boolean serverNoContextTakeover,
        boolean clientNoContextTakeover,
        int serverMaxWindowBits,
        int clientMaxWindowBits) {

    /** The smallest window RFC 7692 §7.1.2 allows, 2^8 bytes. */
    public static final int MIN_WINDOW_BITS = 8;

    /** The largest window, 2^15 bytes, and the one DEFLATE implies when nothing was negotiated. */
    public static final int MAX_WINDOW_BITS = 15;

    private static final DeflateParameters DEFAULTS =
            new DeflateParameters(false, false, MAX_WINDOW_BITS, MAX_WINDOW_BITS);

    /** Validates the window sizes. */
    public DeflateParameters {
        checkWindowBits("serverMaxWindowBits", serverMaxWindowBits);
        checkWindowBits("clientMaxWindowBits", clientMaxWindowBits);
    }

    /**
     * What a bare {@code permessage-deflate} with no parameters means: context takeover on both
     * sides and 15-bit windows.
     */
    public static DeflateParameters defaults() {
        return DEFAULTS;
    }

    /** Whether {@code sender} resets its compressor after each message. */
    public boolean noContextTakeover(Role sender) {
        return sender == Role.SERVER ? serverNoContextTakeover : clientNoContextTakeover;
    }

    /** The base-2 logarithm of the largest window {@code sender} may compress with. */
    public int maxWindowBits(Role sender) {
        return sender == Role.SERVER ? serverMaxWindowBits : clientMaxWindowBits;
    }

    /** A copy with {@code sender}'s context takeover switched off or on. */
    public DeflateParameters withNoContextTakeover(Role sender, boolean noContextTakeover) {
        return sender == Role.SERVER
                ? new DeflateParameters(
                        noContextTakeover, clientNoContextTakeover, serverMaxWindowBits, clientMaxWindowBits)
                : new DeflateParameters(
                        serverNoContextTakeover, noContextTakeover, serverMaxWindowBits, clientMaxWindowBits);
    }

    /** A copy with another window size for {@code sender}. */
    public DeflateParameters withMaxWindowBits(Role sender, int bits) {
        return sender == Role.SERVER
                ? new DeflateParameters(serverNoContextTakeover, clientNoContextTakeover, bits, clientMaxWindowBits)
                : new DeflateParameters(serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits, bits);
    }

    private static void checkWindowBits(String name, int bits) {
        if (bits < MIN_WINDOW_BITS || bits > MAX_WINDOW_BITS) {
            throw new IllegalArgumentException(name + " must be 8..15: " + bits);
        }
    }
}
