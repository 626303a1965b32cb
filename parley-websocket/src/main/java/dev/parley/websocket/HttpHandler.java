package dev.parley.websocket;

/**
 * Answers plain HTTP requests on a path of a {@link WebSocketServer}: health checks, metrics,
 * static pages, and the fallback transports that stream responses.
 *
 * <p>Called on the connection's event loop; it must not block. It may answer at once or later
 * from any thread through the {@link HttpExchange}.
 */
@FunctionalInterface
public interface HttpHandler {
    void handle(HttpExchange exchange);
}
