package dev.parley.protocol.deflate;

import dev.parley.protocol.handshake.ExtensionOffer;
import dev.parley.protocol.handshake.HandshakeException;
import java.util.Locale;

/**
 * The parameters of one permessage-deflate element, offer or response, checked against the syntax
 * of RFC 7692 §7.1: known names only, each at most once (§5.1 and §5.2), no value on the {@code
 * *_no_context_takeover} flags, window bits 8..15 in decimal without leading zeros. Whether a
 * parameter may appear at all in an offer or a response is the caller's business.
 *
 * <p>Names are compared ignoring ASCII case, like the other tokens of the header.
 */
record NegotiatedParameters(
        boolean serverNoContextTakeover,
        boolean clientNoContextTakeover,
        int serverMaxWindowBits,
        int clientMaxWindowBits) {

    /** The parameter was not there. */
    static final int ABSENT = 0;

    /** {@code client_max_window_bits} without a value: allowed in an offer only (§7.1.2.2). */
    static final int NO_VALUE = -1;

    static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    /**
     * Parses the parameters of {@code element}.
     *
     * @param clientBitsValueOptional whether {@code client_max_window_bits} may come without a
     *     value, which only an offer allows
     * @throws HandshakeException (client side) saying which parameter is wrong
     */
    static NegotiatedParameters parse(ExtensionOffer element, boolean clientBitsValueOptional)
            throws HandshakeException {
        boolean serverNct = false;
        boolean clientNct = false;
        int serverBits = ABSENT;
        int clientBits = ABSENT;
        for (ExtensionOffer.Parameter p : element.parameters()) {
            String name = p.name().toLowerCase(Locale.ROOT);
            switch (name) {
                case SERVER_NO_CONTEXT_TAKEOVER -> {
                    requireNoValue(p, serverNct);
                    serverNct = true;
                }
                case CLIENT_NO_CONTEXT_TAKEOVER -> {
                    requireNoValue(p, clientNct);
                    clientNct = true;
                }
                case SERVER_MAX_WINDOW_BITS -> {
                    requireFirst(p, serverBits != ABSENT);
                    // §7.1.2.1: this one always carries a value.
                    if (p.value() == null) {
                        throw fail(p, "needs a value 8..15");
                    }
                    serverBits = windowBits(p);
                }
                case CLIENT_MAX_WINDOW_BITS -> {
                    requireFirst(p, clientBits != ABSENT);
                    if (p.value() == null) {
                        // §7.1.2.2: "no value" only says the client supports the parameter in the response.
                        if (!clientBitsValueOptional) {
                            throw fail(p, "needs a value 8..15");
                        }
                        clientBits = NO_VALUE;
                    } else {
                        clientBits = windowBits(p);
                    }
                }
                default -> throw fail(p, "is not a permessage-deflate parameter");
            }
        }
        return new NegotiatedParameters(serverNct, clientNct, serverBits, clientBits);
    }

    private static void requireNoValue(ExtensionOffer.Parameter p, boolean seen) throws HandshakeException {
        requireFirst(p, seen);
        if (p.value() != null) {
            throw fail(p, "takes no value");
        }
    }

    private static void requireFirst(ExtensionOffer.Parameter p, boolean seen) throws HandshakeException {
        if (seen) {
            throw fail(p, "appears twice");
        }
    }

    /** §7.1.2.1/§7.1.2.2: 1*DIGIT without leading zeros, 8 to 15 inclusive. */
    private static int windowBits(ExtensionOffer.Parameter p) throws HandshakeException {
        String v = p.value();
        boolean valid = switch (v) {
            case "8", "9", "10", "11", "12", "13", "14", "15" -> true;
            default -> false;
        };
        if (!valid) {
            throw fail(p, "must be 8..15 without leading zeros, not \"" + v + "\"");
        }
        return Integer.parseInt(v);
    }

    private static HandshakeException fail(ExtensionOffer.Parameter p, String why) {
        return HandshakeException.clientSide("permessage-deflate parameter " + p.name() + " " + why);
    }
}
