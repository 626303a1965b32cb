package dev.parley.app;

import dev.parley.protocol.handshake.Headers;
import dev.parley.websocket.HttpHandler;
import dev.parley.websocket.WebSocketServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The demo's pages, served from the jar: the chat at {@code /}, the dashboard at {@code
 * /dashboard}, their styles and scripts, and the browser client's modules under {@code /client/}
 * (copied into the jar from clients/js/src at build time). Each file is read once, at startup.
 */
final class StaticSite {
    /** URL path to resource under /web in the jar. */
    private static final Map<String, String> FILES = Map.ofEntries(
            Map.entry("/", "index.html"),
            Map.entry("/chat.css", "chat.css"),
            Map.entry("/chat.js", "chat.js"),
            Map.entry("/dashboard", "dashboard.html"),
            Map.entry("/dashboard.css", "dashboard.css"),
            Map.entry("/dashboard.js", "dashboard.js"),
            Map.entry("/dashboard-view.js", "dashboard-view.js"),
            Map.entry("/favicon.svg", "favicon.svg"),
            Map.entry("/client/index.js", "client/index.js"),
            Map.entry("/client/client.js", "client/client.js"),
            Map.entry("/client/backoff.js", "client/backoff.js"),
            Map.entry("/client/codes.js", "client/codes.js"),
            Map.entry("/client/transport.js", "client/transport.js"));

    private StaticSite() {}

    static void register(WebSocketServer.Builder builder) {
        FILES.forEach((path, resource) -> builder.http(path, handler(resource)));
    }

    private static HttpHandler handler(String resource) {
        byte[] body = read(resource);
        String type = contentType(resource);
        return exchange -> {
            String method = exchange.request().method();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.respond(405, "text/plain; charset=utf-8", "GET only\n");
                return;
            }
            Headers headers = new Headers()
                    .add("Content-Type", type)
                    .add("Cache-Control", "no-cache")
                    .add("X-Content-Type-Options", "nosniff")
                    .add("Referrer-Policy", "no-referrer");
            if (resource.endsWith(".html")) {
                // Scripts and styles from this origin only; WebSockets to it (and to wss of it).
                headers.add(
                        "Content-Security-Policy",
                        "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'");
            }
            exchange.respond(200, headers, ByteBuffer.wrap(body));
        };
    }

    private static byte[] read(String resource) {
        try (InputStream in = StaticSite.class.getResourceAsStream("/web/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks /web/" + resource + "; rebuild it");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String contentType(String resource) {
        if (resource.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (resource.endsWith(".css")) {
            return "text/css; charset=utf-8";
        } else if (resource.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        } else if (resource.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "application/octet-stream";
    }
}
