package dev.parley.protocol.handshake;

import static dev.parley.protocol.handshake.WebSocketKeys.ACCEPT;
import static dev.parley.protocol.handshake.WebSocketKeys.CONNECTION;
import static dev.parley.protocol.handshake.WebSocketKeys.EXTENSIONS;
import static dev.parley.protocol.handshake.WebSocketKeys.HOST;
import static dev.parley.protocol.handshake.WebSocketKeys.KEY;
import static dev.parley.protocol.handshake.WebSocketKeys.PROTOCOL;
import static dev.parley.protocol.handshake.WebSocketKeys.SUPPORTED_VERSION;
import static dev.parley.protocol.handshake.WebSocketKeys.UPGRADE;
import static dev.parley.protocol.handshake.WebSocketKeys.VERSION;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;

/**
 * The client's side of the opening handshake (RFC 6455 §4.1): {@link #request()} gives the bytes
 * of the upgrade request, {@link #validate(HttpResponse)} checks the server's answer, parsed with
 * {@link HttpHeadParser#forResponses()}.
 *
 * <p>One instance per connection attempt: it holds the random key the answer must match. The
 * constructor checks the arguments, so a built instance always produces a valid request.
 * Immutable and thread-safe; every returned buffer is new and belongs to the caller.
 */
public final class ClientHandshake {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final URI uri;
    private final boolean secure;
    private final List<String> subprotocols;
    private final List<ExtensionOffer> extensions;
    private final Headers extraHeaders;
    private final String key;

    /** A handshake with a key from a shared {@link SecureRandom}. */
    public ClientHandshake(URI uri, List<String> subprotocols, List<ExtensionOffer> extensions, Headers extraHeaders) {
        this(uri, subprotocols, extensions, extraHeaders, RANDOM);
    }

    /**
     * A handshake with a key drawn from {@code random}; RFC 6455 §4.1 item 7 wants a fresh random
     * nonce per connection, so pass a fixed-seed source only in tests.
     *
     * @param uri a {@code ws} or {@code wss} URI with a host and without a fragment (RFC 6455 §3)
     * @param subprotocols the subprotocols to request, in order of preference; tokens
     * @param extensions the extensions to offer, in order of preference
     * @param extraHeaders further header fields, such as {@code Origin} or {@code Authorization};
     *     may not set the handshake's own fields
     * @throws IllegalArgumentException if the URI, a subprotocol or an extra header is not allowed
     */
    public ClientHandshake(
            URI uri, List<String> subprotocols, List<ExtensionOffer> extensions, Headers extraHeaders, Random random) {
        this.uri = Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("not a ws or wss URI: " + uri);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("URI has no host: " + uri);
        }
        if (uri.getRawFragment() != null) {
            // RFC 6455 §3: "Fragment identifiers are meaningless in the context of WebSocket URIs".
            throw new IllegalArgumentException("WebSocket URI has a fragment: " + uri);
        }
        this.secure = scheme.equals("wss");
        this.subprotocols = List.copyOf(subprotocols);
        for (String s : this.subprotocols) {
            if (!HttpChars.isToken(s)) {
                throw new IllegalArgumentException("subprotocol is not a token: " + HttpChars.quote(s));
            }
        }
        this.extensions = List.copyOf(extensions);
        for (String managed : List.of(HOST, UPGRADE, CONNECTION, KEY, VERSION, PROTOCOL, EXTENSIONS)) {
            if (extraHeaders.contains(managed)) {
                throw new IllegalArgumentException("extra headers may not set " + managed);
            }
        }
        this.extraHeaders = extraHeaders.readOnlyCopy();
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        this.key = Base64.getEncoder().encodeToString(nonce);
    }

    /** The {@code Sec-WebSocket-Key} sent: base64 of 16 random bytes. */
    public String key() {
        return key;
    }

    /** Whether the URI is {@code wss}, so the transport must be TLS. */
    public boolean isSecure() {
        return secure;
    }

    /** The port to connect to: the URI's, else 80 for ws and 443 for wss (RFC 6455 §3). */
    public int port() {
        return uri.getPort() >= 0 ? uri.getPort() : defaultPort();
    }

    /** The host to connect to, without brackets for an IPv6 literal. */
    public String host() {
        String host = uri.getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** The bytes of the GET request that opens the handshake (RFC 6455 §4.1). */
    public ByteBuffer request() {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        StringBuilder out = new StringBuilder(256).append("GET ").append(target).append(" HTTP/1.1\r\n");
        Headers h = new Headers()
                .add(HOST, hostHeader())
                .add(UPGRADE, "websocket")
                .add(CONNECTION, "Upgrade")
                .add(KEY, key)
                .add(VERSION, SUPPORTED_VERSION);
        if (!subprotocols.isEmpty()) {
            h.add(PROTOCOL, String.join(", ", subprotocols));
        }
        if (!extensions.isEmpty()) {
            h.add(EXTENSIONS, ExtensionHeaderParser.render(extensions));
        }
        h.addAll(extraHeaders).writeTo(out);
        out.append("\r\n");
        return ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** RFC 6455 §4.1 item 4 and RFC 9110 §7.2: the port only when it is not the scheme's default. */
    private String hostHeader() {
        String host = uri.getHost(); // java.net.URI keeps the brackets of an IPv6 literal
        int port = uri.getPort();
        return port < 0 || port == defaultPort() ? host : host + ":" + port;
    }

    private int defaultPort() {
        return secure ? 443 : 80;
    }

    /**
     * Checks the server's response (RFC 6455 §4.1, "the client MUST validate the server's response").
     *
     * @return what was agreed: the subprotocol and the extensions in the server's order
     * @throws HandshakeException a client-side failure if the status is not 101 (its message gives
     *     the status), Upgrade or Connection are wrong, Sec-WebSocket-Accept does not match the key,
     *     or the server chose a subprotocol or extension that was not offered
     */
    public Accepted validate(HttpResponse response) throws HandshakeException {
        Headers h = response.headers();
        if (response.status() != 101) {
            throw HandshakeException.clientSide("The server answered " + response.status() + " "
                    + HttpChars.quote(response.reason()) + " instead of 101 Switching Protocols.");
        }
        if (!h.containsElement(UPGRADE, "websocket")) {
            throw HandshakeException.clientSide("The response's Upgrade header does not name websocket.");
        }
        if (!h.containsElement(CONNECTION, "upgrade")) {
            throw HandshakeException.clientSide("The response's Connection header does not hold upgrade.");
        }
        List<String> accepts = h.all(ACCEPT);
        if (accepts.size() != 1 || !accepts.get(0).equals(WebSocketKeys.accept(key))) {
            throw HandshakeException.clientSide(
                    accepts.isEmpty()
                            ? "The response has no Sec-WebSocket-Accept header."
                            : "Sec-WebSocket-Accept does not match the key sent (RFC 6455 §4.2.2).");
        }
        String subprotocol = null;
        if (h.contains(PROTOCOL)) {
            List<String> chosen = h.listElements(PROTOCOL);
            if (chosen.size() != 1 || !subprotocols.contains(chosen.get(0))) {
                // RFC 6455 §4.1 item 6 of the response checks: only a subprotocol that was requested.
                throw HandshakeException.clientSide("The server chose subprotocol "
                        + HttpChars.quote(String.join(", ", h.all(PROTOCOL))) + ", which was not requested.");
            }
            subprotocol = chosen.get(0);
        }
        List<ExtensionOffer> accepted =
                h.contains(EXTENSIONS) ? ExtensionHeaderParser.parse(h.all(EXTENSIONS), 0) : List.of();
        for (ExtensionOffer extension : accepted) {
            if (extensions.stream().noneMatch(o -> o.name().equalsIgnoreCase(extension.name()))) {
                // RFC 6455 §4.1: an extension not present in the client's handshake fails the connection.
                throw HandshakeException.clientSide("The server accepted extension " + HttpChars.quote(extension.name())
                        + ", which was not offered.");
            }
        }
        return new Accepted(subprotocol, accepted, response);
    }

    /**
     * What the server agreed to. Immutable.
     *
     * @param subprotocol the subprotocol to speak, or {@code null} when the server chose none
     * @param extensions the extensions the server accepted, with its parameters, in its order;
     *     checking the parameters is each extension's job
     * @param response the whole response, for cookies and other headers
     */
    public record Accepted(String subprotocol, List<ExtensionOffer> extensions, HttpResponse response) {
        public Accepted {
            Objects.requireNonNull(response, "response");
            extensions = List.copyOf(extensions);
        }
    }
}
