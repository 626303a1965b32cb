package dev.parley.protocol.handshake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/** The key and accept values of RFC 6455 §4.1 and §4.2.2, and the handshake's header names. */
final class WebSocketKeys {
    /** RFC 6455 §1.3: the GUID appended to the key before hashing. */
    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    static final String HOST = "Host";
    static final String UPGRADE = "Upgrade";
    static final String CONNECTION = "Connection";
    static final String ORIGIN = "Origin";
    static final String KEY = "Sec-WebSocket-Key";
    static final String VERSION = "Sec-WebSocket-Version";
    static final String ACCEPT = "Sec-WebSocket-Accept";
    static final String PROTOCOL = "Sec-WebSocket-Protocol";
    static final String EXTENSIONS = ExtensionHeaderParser.HEADER;
    static final String SUPPORTED_VERSION = "13";

    private WebSocketKeys() {}

    /** base64(SHA-1(key + GUID)), RFC 6455 §4.2.2 step 5.4. */
    static String accept(String key) {
        MessageDigest sha1 = SHA1.get(); // digest() leaves it reset for the next key
        sha1.update(key.getBytes(StandardCharsets.ISO_8859_1));
        sha1.update(GUID_BYTES);
        return Base64.getEncoder().encodeToString(sha1.digest());
    }

    private static final byte[] GUID_BYTES = GUID.getBytes(StandardCharsets.ISO_8859_1);

    /** One digest per thread: looking a provider up for each handshake costs more than the hash. */
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must support SHA-1", e);
        }
    });

    /**
     * Whether {@code key} is the canonical base64 of exactly 16 bytes (RFC 6455 §4.1 item 7): 24
     * characters, two of them padding, and decoding then encoding gives it back.
     */
    static boolean isValidKey(String key) {
        if (key.length() != 24) {
            return false;
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(key);
            return decoded.length == 16
                    && Base64.getEncoder().encodeToString(decoded).equals(key);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Splits a comma-separated list of tokens such as {@code Sec-WebSocket-Protocol}; null if one is not a token. */
    static List<String> tokens(Headers headers, String name) {
        List<String> out = headers.listElements(name);
        for (String t : out) {
            if (!HttpChars.isToken(t)) {
                return null;
            }
        }
        return out;
    }
}
