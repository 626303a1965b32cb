package dev.parley.protocol.handshake;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A request that {@link ServerHandshake#validate(HttpRequest)} found to be a valid WebSocket
 * upgrade (RFC 6455 §4.2.1), with what the server needs to decide whether and how to accept it:
 * where it goes, who sent it ({@link #origin()}, for an origin policy), and what the client offers.
 * Immutable and safe to share.
 *
 * @param request the request head
 * @param key the {@code Sec-WebSocket-Key}, base64 of 16 bytes
 * @param origin the {@code Origin} header, or {@code null} when absent (non-browser clients)
 * @param subprotocols the requested subprotocols in the client's order of preference; empty if none
 * @param extensions the extension offers in the client's order of preference; empty if none
 */
public record UpgradeRequest(
        HttpRequest request, String key, String origin, List<String> subprotocols, List<ExtensionOffer> extensions) {
    public UpgradeRequest {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(key, "key");
        subprotocols = List.copyOf(subprotocols);
        extensions = List.copyOf(extensions);
    }

    /** The path of the request target, still percent-encoded. */
    public String path() {
        return request.path();
    }

    /** The query of the request target without {@code ?}, still percent-encoded; {@code null} if none. */
    public String query() {
        return request.query();
    }

    /** Every header field of the request. */
    public Headers headers() {
        return request.headers();
    }

    /**
     * The subprotocol to accept: the first in the client's list that {@code supported} holds,
     * compared exactly, or {@code null} when none is common. The client's order wins because RFC
     * 6455 §4.1 lists subprotocols "ordered by preference".
     */
    public String selectSubprotocol(Collection<String> supported) {
        for (String offered : subprotocols) {
            if (supported.contains(offered)) {
                return offered;
            }
        }
        return null;
    }
}
