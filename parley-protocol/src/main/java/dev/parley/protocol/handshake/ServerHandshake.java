package dev.parley.protocol.handshake;

import static dev.parley.protocol.handshake.WebSocketKeys.ACCEPT;
import static dev.parley.protocol.handshake.WebSocketKeys.CONNECTION;
import static dev.parley.protocol.handshake.WebSocketKeys.EXTENSIONS;
import static dev.parley.protocol.handshake.WebSocketKeys.HOST;
import static dev.parley.protocol.handshake.WebSocketKeys.KEY;
import static dev.parley.protocol.handshake.WebSocketKeys.ORIGIN;
import static dev.parley.protocol.handshake.WebSocketKeys.PROTOCOL;
import static dev.parley.protocol.handshake.WebSocketKeys.SUPPORTED_VERSION;
import static dev.parley.protocol.handshake.WebSocketKeys.UPGRADE;
import static dev.parley.protocol.handshake.WebSocketKeys.VERSION;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The server's side of the opening handshake (RFC 6455 §4.2): {@link #validate} checks a parsed
 * request head, {@link #accept} builds the 101 response, {@link #reject} the refusal.
 *
 * <p>Typical use: parse the head with {@link HttpHeadParser#forRequests()}, validate it, apply the
 * application's policy to the {@link UpgradeRequest} (path, origin, subprotocol, extensions), then
 * write the bytes of {@code accept(...)} or {@code reject(...)}. Stateless and thread-safe; every
 * returned buffer is new and belongs to the caller, positioned at 0 with the bytes to write.
 */
public final class ServerHandshake {
    private ServerHandshake() {}

    /**
     * Checks that a request is a WebSocket upgrade this server can accept (RFC 6455 §4.2.1).
     *
     * @throws HandshakeException 405 (with {@code Allow: GET}) for a method other than GET; 400 for
     *     HTTP/1.0, a target that is neither origin-form nor absolute-form or has a fragment, not
     *     exactly one Host, no {@code upgrade} in Connection, not exactly one valid
     *     Sec-WebSocket-Key, several Origin headers, or malformed Sec-WebSocket-Protocol or
     *     Sec-WebSocket-Extensions; 426 (with {@code Upgrade: websocket}) when Upgrade does not
     *     name websocket, and (with {@code Sec-WebSocket-Version: 13} too) when the version is
     *     not exactly 13
     */
    public static UpgradeRequest validate(HttpRequest request) throws HandshakeException {
        Headers h = request.headers();
        if (!request.method().equals("GET")) {
            // RFC 6455 §4.1 item 2: the method MUST be GET; RFC 9110 §15.5.6: a 405 carries Allow.
            throw new HandshakeException(
                    405,
                    "The method " + HttpChars.quote(request.method()) + " cannot open a WebSocket; use GET.",
                    new Headers().add("Allow", "GET"));
        }
        if (!request.version().isAtLeast(HttpVersion.HTTP_1_1)) {
            throw new HandshakeException(
                    400, "A WebSocket needs HTTP/1.1 or later, and the request is " + request.version() + ".");
        }
        if (!request.isOriginForm() && !request.isAbsoluteForm()) {
            throw new HandshakeException(
                    400, "The request target is neither a path nor an absolute URI (RFC 6455 §4.1).");
        }
        if (request.target().indexOf('#') >= 0) {
            throw new HandshakeException(
                    400, "The request target has a fragment, which WebSocket URIs forbid (RFC 6455 §3).");
        }
        int hosts = h.count(HOST);
        if (hosts != 1 || h.first(HOST).isEmpty()) {
            // RFC 9112 §3.2: 400 for no Host, several, or an invalid one.
            throw new HandshakeException(
                    400,
                    "The request has " + (hosts == 1 ? "an empty Host" : hosts + " Host headers")
                            + "; exactly one is required.");
        }
        if (!h.containsElement(UPGRADE, "websocket")) {
            throw new HandshakeException(
                    426, "The Upgrade header does not name websocket (RFC 6455 §4.2.1).", upgradeHeaders(false));
        }
        if (!h.containsElement(CONNECTION, "upgrade")) {
            throw new HandshakeException(
                    400, "The Connection header does not hold the upgrade option (RFC 6455 §4.2.1).");
        }
        List<String> versions = h.all(VERSION);
        if (versions.size() != 1 || !versions.get(0).equals(SUPPORTED_VERSION)) {
            // RFC 6455 §4.4: answer with the versions this server speaks.
            String what = versions.isEmpty()
                    ? "The request has no Sec-WebSocket-Version header"
                    : "Sec-WebSocket-Version " + HttpChars.quote(String.join(", ", versions)) + " is not supported";
            throw new HandshakeException(426, what + "; this server speaks version 13.", upgradeHeaders(true));
        }
        List<String> keys = h.all(KEY);
        if (keys.size() != 1) {
            throw new HandshakeException(
                    400, "The request has " + keys.size() + " Sec-WebSocket-Key headers; exactly one is required.");
        }
        String key = keys.get(0);
        if (!WebSocketKeys.isValidKey(key)) {
            throw new HandshakeException(
                    400,
                    "Sec-WebSocket-Key " + HttpChars.quote(key) + " is not the base64 of 16 bytes (RFC 6455 §4.1).");
        }
        if (h.count(ORIGIN) > 1) {
            throw new HandshakeException(400, "The request has several Origin headers.");
        }
        List<String> subprotocols = WebSocketKeys.tokens(h, PROTOCOL);
        if (subprotocols == null) {
            throw new HandshakeException(
                    400, "Sec-WebSocket-Protocol is not a comma-separated list of tokens (RFC 6455 §4.1).");
        }
        List<ExtensionOffer> extensions =
                h.contains(EXTENSIONS) ? ExtensionHeaderParser.parse(h.all(EXTENSIONS)) : List.of();
        return new UpgradeRequest(request, key, h.first(ORIGIN), subprotocols, extensions);
    }

    /** The {@code Sec-WebSocket-Accept} value for a key, RFC 6455 §4.2.2 step 5.4. */
    public static String acceptKey(String key) {
        return WebSocketKeys.accept(Objects.requireNonNull(key, "key"));
    }

    /**
     * The 101 response accepting an upgrade (RFC 6455 §4.2.2 step 5).
     *
     * @param request the validated request
     * @param subprotocol the subprotocol to speak, one the client requested, or {@code null}
     * @param extensions the accepted extensions with their response parameters, each named in an
     *     offer of the client, in the order they apply; empty for none
     * @param extraHeaders further header fields, such as {@code Set-Cookie}; may not set the
     *     handshake's own fields
     * @throws IllegalArgumentException if the subprotocol or an extension was not offered, or an
     *     extra header field is one of the handshake's
     */
    public static ByteBuffer accept(
            UpgradeRequest request, String subprotocol, List<ExtensionOffer> extensions, Headers extraHeaders) {
        if (subprotocol != null && !request.subprotocols().contains(subprotocol)) {
            // RFC 6455 §4.2.2: the selected subprotocol MUST be one the client offered.
            throw new IllegalArgumentException("subprotocol was not requested by the client: " + subprotocol);
        }
        for (ExtensionOffer accepted : extensions) {
            if (request.extensions().stream().noneMatch(o -> o.name().equalsIgnoreCase(accepted.name()))) {
                throw new IllegalArgumentException("extension was not offered by the client: " + accepted.name());
            }
        }
        for (String managed : List.of(UPGRADE, CONNECTION, ACCEPT, PROTOCOL, EXTENSIONS)) {
            if (extraHeaders.contains(managed)) {
                throw new IllegalArgumentException("extra headers may not set " + managed);
            }
        }
        // Written straight into the bytes that go out: every part is already checked (the key and
        // subprotocol by validate, extensions by their type, extra fields by Headers.add), and a
        // handshake should leave as little garbage as it can (BENCHMARKS.md, "Garbage per handshake").
        String extensionValue = extensions.isEmpty() ? null : ExtensionHeaderParser.render(extensions);
        Latin1Writer out = new Latin1Writer(160);
        out.write(RESPONSE_START).write(acceptKey(request.key())).write(CRLF);
        if (subprotocol != null) {
            out.write(PROTOCOL).write(COLON_SPACE).write(subprotocol).write(CRLF);
        }
        if (extensionValue != null) {
            out.write(EXTENSIONS).write(COLON_SPACE).write(extensionValue).write(CRLF);
        }
        for (int i = 0; i < extraHeaders.size(); i++) {
            out.write(extraHeaders.name(i))
                    .write(COLON_SPACE)
                    .write(extraHeaders.value(i))
                    .write(CRLF);
        }
        return out.write(CRLF).toByteBuffer();
    }

    private static final String RESPONSE_START = "HTTP/1.1 101 Switching Protocols\r\n" + UPGRADE + ": websocket\r\n"
            + CONNECTION + ": Upgrade\r\n" + ACCEPT + ": ";
    private static final String CRLF = "\r\n";
    private static final String COLON_SPACE = ": ";

    /** Characters up to U+00FF, one byte each, into an array that grows. */
    private static final class Latin1Writer {
        private byte[] bytes;
        private int length;

        Latin1Writer(int capacity) {
            bytes = new byte[capacity];
        }

        Latin1Writer write(String s) {
            int n = s.length();
            if (length + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(length + n, 2 * bytes.length));
            }
            for (int i = 0; i < n; i++) {
                bytes[length++] = (byte) s.charAt(i); // Latin-1: every character is at most U+00FF
            }
            return this;
        }

        ByteBuffer toByteBuffer() {
            return ByteBuffer.wrap(bytes, 0, length).slice();
        }
    }

    /**
     * The response refusing a handshake: the refusal's status, the header fields it carries,
     * {@code Connection: close}, and a {@code text/plain} body holding its message. Connection,
     * Content-Type and Content-Length among the refusal's headers are ignored: they are set here.
     *
     * @throws IllegalArgumentException for a client-side failure, which has no status
     */
    public static ByteBuffer reject(HandshakeException refusal) {
        int status = refusal.status();
        if (status == 0) {
            throw new IllegalArgumentException("a client-side failure has no response");
        }
        byte[] body = (refusal.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
        Headers extra = refusal.responseHeaders();
        Headers h = new Headers()
                // RFC 9110 §7.8: a sender of Upgrade also sends the upgrade connection option.
                .add(CONNECTION, extra.contains(UPGRADE) ? "Upgrade, close" : "close")
                .add("Content-Type", "text/plain; charset=utf-8")
                .add("Content-Length", Integer.toString(body.length));
        for (int i = 0; i < extra.size(); i++) {
            String name = extra.name(i);
            if (!name.equalsIgnoreCase(CONNECTION)
                    && !name.equalsIgnoreCase("Content-Type")
                    && !name.equalsIgnoreCase("Content-Length")) {
                h.add(name, extra.value(i));
            }
        }
        StringBuilder out = new StringBuilder(256)
                .append("HTTP/1.1 ")
                .append(status)
                .append(' ')
                .append(HttpResponse.reasonPhrase(status))
                .append("\r\n");
        h.writeTo(out);
        out.append("\r\n");
        byte[] head = out.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer bytes =
                ByteBuffer.allocate(head.length + body.length).put(head).put(body);
        return bytes.flip();
    }

    private static Headers upgradeHeaders(boolean withVersion) {
        // RFC 9110 §15.5.22: a 426 response MUST send an Upgrade header field.
        Headers h = new Headers().add(UPGRADE, "websocket");
        return withVersion ? h.add(VERSION, SUPPORTED_VERSION) : h;
    }
}
