package dev.parley.websocket;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides which browser origins may open a WebSocket, against cross-site WebSocket hijacking: a
 * browser sends cookies with a cross-origin upgrade request and, unlike for fetch, enforces no
 * CORS on it. Requests without an {@code Origin} header do not come from a browser page and are
 * allowed by every policy here. A refused request is answered with 403.
 */
@FunctionalInterface
public interface OriginPolicy {
    /**
     * @param origin the Origin header, never null
     * @param host the Host header of the request
     */
    boolean allows(String origin, String host);

    /** The default: only pages served from the same host and port as the WebSocket. */
    static OriginPolicy sameOrigin() {
        return (origin, host) -> host != null && host.equalsIgnoreCase(authority(origin));
    }

    /** The same origin, plus the listed origins (such as {@code https://app.example.com}). */
    static OriginPolicy allowList(String... origins) {
        Set<String> allowed =
                List.of(origins).stream().map(o -> o.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        OriginPolicy same = sameOrigin();
        return (origin, host) -> allowed.contains(origin.toLowerCase(Locale.ROOT)) || same.allows(origin, host);
    }

    /** Every origin: only for endpoints that use no ambient credentials (cookies). */
    static OriginPolicy any() {
        return (origin, host) -> true;
    }

    /** The host[:port] of an origin, or null when it is not a URL ("null" from sandboxed pages). */
    private static String authority(String origin) {
        try {
            URI uri = URI.create(origin);
            return uri.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
