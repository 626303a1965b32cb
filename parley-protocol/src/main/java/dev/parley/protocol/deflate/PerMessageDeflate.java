package dev.parley.protocol.deflate;

import static dev.parley.protocol.deflate.DeflateParameters.MAX_WINDOW_BITS;
import static dev.parley.protocol.deflate.NegotiatedParameters.ABSENT;
import static dev.parley.protocol.deflate.NegotiatedParameters.CLIENT_MAX_WINDOW_BITS;
import static dev.parley.protocol.deflate.NegotiatedParameters.CLIENT_NO_CONTEXT_TAKEOVER;
import static dev.parley.protocol.deflate.NegotiatedParameters.SERVER_MAX_WINDOW_BITS;
import static dev.parley.protocol.deflate.NegotiatedParameters.SERVER_NO_CONTEXT_TAKEOVER;

import dev.parley.protocol.handshake.ExtensionOffer;
import dev.parley.protocol.handshake.HandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Negotiation of permessage-deflate (RFC 7692 §5, §7.1) for both roles. A server calls {@link
 * #accept} with the offers of the request; a client sends {@link #offer} and checks the answer with
 * {@link #validateResponse}. The handshake package parses and renders the {@code
 * Sec-WebSocket-Extensions} header; this class only decides what the permessage-deflate elements
 * mean. Stateless and thread-safe.
 *
 * <p>One limit shapes every rule here: the JDK's {@link java.util.zip.Deflater} always compresses
 * with a 15-bit window, so we never agree to send with a smaller one ({@code server_max_window_bits}
 * below 15 in an offer, {@code client_max_window_bits} below 15 in a response). Our {@link
 * java.util.zip.Inflater} uses a 15-bit window too, which decodes streams made with any smaller
 * window, so whatever the peer chooses for itself is fine.
 */
public final class PerMessageDeflate {

    /** The extension token, RFC 7692 §7. */
    public static final String EXTENSION_NAME = "permessage-deflate";

    private PerMessageDeflate() {}

    /**
     * What a server agreed to.
     *
     * @param response the element to put in the response's {@code Sec-WebSocket-Extensions}
     * @param parameters what the response means for both senders
     */
    public record Agreement(ExtensionOffer response, DeflateParameters parameters) {}

    /** Whether {@code element} names permessage-deflate; extension tokens ignore ASCII case. */
    public static boolean isPerMessageDeflate(ExtensionOffer element) {
        return element.name().equalsIgnoreCase(EXTENSION_NAME);
    }

    /**
     * Server side: accepts the first permessage-deflate offer we can honour, in the client's order
     * of preference, ignoring other extensions. An offer is declined, and the next one tried, when it
     * has an unknown, repeated or invalid parameter (RFC 7692 §5: the server must not accept an offer
     * it does not understand) or asks for {@code server_max_window_bits} below 15.
     *
     * @return the agreement, or empty to answer without permessage-deflate
     */
    public static Optional<Agreement> accept(List<ExtensionOffer> offers, DeflateConfig config) {
        for (ExtensionOffer offer : offers) {
            if (!isPerMessageDeflate(offer)) {
                continue;
            }
            NegotiatedParameters asked;
            try {
                asked = NegotiatedParameters.parse(offer, true);
            } catch (HandshakeException invalid) {
                continue; // §5: decline this offer, maybe a later fallback is valid
            }
            // §7.1.2.1: accepting means answering with the same or a smaller value, and our
            // Deflater cannot go below 15.
            if (asked.serverMaxWindowBits() != ABSENT && asked.serverMaxWindowBits() < MAX_WINDOW_BITS) {
                continue;
            }
            // §7.1.1.1: if the offer has server_no_context_takeover the response must have it; the
            // server may add it on its own. Both are how we get a shareable compressor.
            boolean serverNct = asked.serverNoContextTakeover() || config.localNoContextTakeover();
            // §7.1.1.2: a client offering client_no_context_takeover will not take over context
            // whatever we answer; saying it back makes that explicit. We may also ask for it.
            boolean clientNct = asked.clientNoContextTakeover() || config.peerNoContextTakeover();
            List<ExtensionOffer.Parameter> response = new ArrayList<>(3);
            if (serverNct) {
                response.add(new ExtensionOffer.Parameter(SERVER_NO_CONTEXT_TAKEOVER, null));
            }
            if (clientNct) {
                response.add(new ExtensionOffer.Parameter(CLIENT_NO_CONTEXT_TAKEOVER, null));
            }
            if (asked.serverMaxWindowBits() != ABSENT) {
                // §7.1.2.1: accepting an offer with server_max_window_bits means repeating it.
                response.add(new ExtensionOffer.Parameter(SERVER_MAX_WINDOW_BITS, Integer.toString(MAX_WINDOW_BITS)));
            }
            // client_max_window_bits is never answered (§7.1.2.2 makes it optional): our Inflater
            // has a 15-bit window, which decodes any smaller one, and limiting the client would
            // save nothing.
            DeflateParameters agreed = new DeflateParameters(serverNct, clientNct, MAX_WINDOW_BITS, MAX_WINDOW_BITS);
            return Optional.of(new Agreement(new ExtensionOffer(EXTENSION_NAME, response), agreed));
        }
        return Optional.empty();
    }

    /**
     * Client side: the one permessage-deflate element to offer.
     *
     * <p>Never {@code client_max_window_bits} with a value, and by default not at all: §7.1.2.2 lets
     * a server answer that parameter with any window down to 2^8 and requires the client to comply,
     * which the JDK Deflater (always 2^15) cannot. Without it in the offer, the server must not send
     * it back, so the server can never impose a smaller window on us.
     */
    public static ExtensionOffer offer(DeflateConfig config) {
        List<ExtensionOffer.Parameter> params = new ArrayList<>(3);
        if (config.peerNoContextTakeover()) {
            params.add(new ExtensionOffer.Parameter(SERVER_NO_CONTEXT_TAKEOVER, null));
        }
        if (config.localNoContextTakeover()) {
            params.add(new ExtensionOffer.Parameter(CLIENT_NO_CONTEXT_TAKEOVER, null));
        }
        if (config.offerClientMaxWindowBits()) {
            params.add(new ExtensionOffer.Parameter(CLIENT_MAX_WINDOW_BITS, null));
        }
        return new ExtensionOffer(EXTENSION_NAME, params);
    }

    /**
     * Client side: checks the server's answer to {@link #offer}{@code (config)} among the elements of
     * its {@code Sec-WebSocket-Extensions}, ignoring other extensions (whether those were offered is
     * the handshake's business, as is a permessage-deflate answer when we offered none).
     *
     * @return the agreed parameters, or empty if the server did not accept permessage-deflate
     * @throws HandshakeException (client side) if the answer is invalid or names permessage-deflate
     *     twice
     */
    public static Optional<DeflateParameters> validateResponse(List<ExtensionOffer> response, DeflateConfig config)
            throws HandshakeException {
        ExtensionOffer found = null;
        for (ExtensionOffer element : response) {
            if (isPerMessageDeflate(element)) {
                if (found != null) {
                    throw HandshakeException.clientSide("server accepted permessage-deflate twice");
                }
                found = element;
            }
        }
        return found == null ? Optional.empty() : Optional.of(validateResponse(found, config));
    }

    /**
     * Client side: checks one permessage-deflate element of the server's answer to {@link
     * #offer}{@code (config)} (RFC 7692 §5.1: unknown, repeated or invalid parameters fail the
     * connection, and so does a configuration we cannot support).
     *
     * @throws HandshakeException (client side) saying what is wrong
     * @throws IllegalArgumentException if {@code response} is not permessage-deflate
     */
    public static DeflateParameters validateResponse(ExtensionOffer response, DeflateConfig config)
            throws HandshakeException {
        if (!isPerMessageDeflate(response)) {
            throw new IllegalArgumentException("not permessage-deflate: " + response.name());
        }
        NegotiatedParameters got = NegotiatedParameters.parse(response, false);
        if (got.clientMaxWindowBits() != ABSENT) {
            if (!config.offerClientMaxWindowBits()) {
                // §7.1.2.2: not in the offer, so it must not be in the response.
                throw HandshakeException.clientSide(
                        "server sent permessage-deflate client_max_window_bits, which the client did not offer");
            }
            if (got.clientMaxWindowBits() < MAX_WINDOW_BITS) {
                throw HandshakeException.clientSide("server limits permessage-deflate client_max_window_bits to "
                        + got.clientMaxWindowBits() + "; the JDK Deflater only compresses with 15");
            }
        }
        if (config.peerNoContextTakeover() && !got.serverNoContextTakeover()) {
            // §7.1.1.1: a server accepting an offer with server_no_context_takeover must include it.
            throw HandshakeException.clientSide(
                    "server accepted permessage-deflate without the server_no_context_takeover the client offered");
        }
        // Any server_max_window_bits is fine: it limits what the server sends (§7.1.2.1), and our
        // 15-bit Inflater decodes every smaller window.
        return new DeflateParameters(
                got.serverNoContextTakeover(),
                // §7.1.1.2: having offered client_no_context_takeover, we keep to it whatever the answer.
                got.clientNoContextTakeover() || config.localNoContextTakeover(),
                got.serverMaxWindowBits() == ABSENT ? MAX_WINDOW_BITS : got.serverMaxWindowBits(),
                got.clientMaxWindowBits() == ABSENT ? MAX_WINDOW_BITS : got.clientMaxWindowBits());
    }
}
