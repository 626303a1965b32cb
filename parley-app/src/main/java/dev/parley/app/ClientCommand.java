package dev.parley.app;

import dev.parley.protocol.deflate.DeflateConfig;
import dev.parley.websocket.WebSocketClient;
import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketSession;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code parley client URL}: an interactive terminal client for a raw WebSocket endpoint, like
 * wscat. Every line typed is sent as a text message; lines starting with '/' are commands. What
 * arrives is printed with a '<' in front; the connection's state is printed as it changes.
 */
@Command(
        name = "client",
        mixinStandardHelpOptions = true,
        description = {
            "Connects to a WebSocket endpoint and talks to it from the terminal.",
            "Each line you type is sent as a text message; what arrives is printed after '< '.",
            "Commands: /ping (round trip), /close [CODE [REASON]], /quit, /help.",
            "A URL ending in /hub (or --hub) speaks the hub protocol instead: /sub CHANNEL, /unsub CHANNEL,",
            "/pub CHANNEL DATA, /presence CHANNEL, /history CHANNEL [N], /ping; a plain line publishes",
            "to the channel subscribed last."
        })
final class ClientCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "URL", description = "ws:// or wss:// address, e.g. ws://localhost:8080/echo")
    URI url;

    @Option(names = "--hub", description = "Speak the hub protocol (the default for URLs ending in /hub).")
    boolean hub;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            defaultValue = "",
            description = "Hub credentials (the demo server takes it as your user name).")
    String token;

    @Option(names = "--deflate", description = "Offer permessage-deflate.")
    boolean deflate;

    @Option(names = "--subprotocol", paramLabel = "NAME", description = "Offer a subprotocol.")
    String subprotocol;

    @Option(
            names = "--connect-timeout",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "How long to wait for the handshake (default: ${DEFAULT-VALUE}).")
    int connectTimeout;

    @Spec
    CommandSpec spec;

    /** Where lines come from; standard input unless a test sets it. */
    BufferedReader input;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (url.getScheme() == null
                || !(url.getScheme().equals("ws") || url.getScheme().equals("wss"))) {
            throw new IllegalArgumentException("the URL must start with ws:// or wss://, not " + url);
        }
        BufferedReader in =
                input != null ? input : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        boolean interactive = input == null && System.console() != null;
        if (hub || (url.getPath() != null && url.getPath().endsWith("/hub"))) {
            return new HubConsole(out).run(url, token, in, interactive, connectTimeout);
        }
        CompletableFuture<String> ended = new CompletableFuture<>();
        WebSocketClient.ConnectOptions options = WebSocketClient.ConnectOptions.defaults();
        if (deflate) {
            options = options.withCompression(DeflateConfig.defaults());
        }
        if (subprotocol != null) {
            options = options.withSubprotocols(subprotocol);
        }
        try (WebSocketClient client = WebSocketClient.builder().build()) {
            out.println("connecting to " + url + " ...");
            WebSocketSession session;
            try {
                session = client.connect(url, options, printer(out, ended)).get(connectTimeout, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw new IllegalStateException("cannot connect to " + url + ": "
                        + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
            } catch (TimeoutException e) {
                throw new IllegalStateException("no handshake with " + url + " within " + connectTimeout + " s");
            }
            out.println(
                    "connected" + (session.subprotocol() != null ? " (subprotocol " + session.subprotocol() + ")" : "")
                            + (session.isCompressed() ? " (permessage-deflate)" : "")
                            + "; type a message, or /help");
            return converse(session, in, out, ended, interactive);
        }
    }

    private int converse(
            WebSocketSession session,
            BufferedReader in,
            PrintWriter out,
            CompletableFuture<String> ended,
            boolean interactive)
            throws Exception {
        while (!ended.isDone()) {
            if (interactive) {
                out.print("> ");
                out.flush();
            }
            String line = in.readLine();
            if (line == null || line.equals("/quit")) {
                session.close(1000, "");
                break;
            }
            if (line.equals("/help")) {
                out.println("/ping  /close [CODE [REASON]]  /quit; anything else is sent as text");
            } else if (line.equals("/ping")) {
                try {
                    Duration rtt = session.measureLatency().get(10, TimeUnit.SECONDS);
                    out.printf("pong in %.2f ms%n", rtt.toNanos() / 1e6);
                } catch (ExecutionException | TimeoutException e) {
                    out.println("no pong: " + e.getMessage());
                }
            } else if (line.startsWith("/close")) {
                String[] parts = line.split(" ", 3);
                int code = parts.length > 1 ? Integer.parseInt(parts[1]) : 1000;
                session.close(code, parts.length > 2 ? parts[2] : "");
                break;
            } else if (line.startsWith("/")) {
                out.println("unknown command " + line.split(" ")[0] + "; /help lists them");
            } else {
                session.send(line);
            }
        }
        String how;
        try {
            how = ended.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            session.abort();
            how = "closed (no close reply within 10 s)";
        }
        out.println(how);
        return how.startsWith("closed 1000") || how.startsWith("closed 1001") ? 0 : 1;
    }

    private static WebSocketHandler printer(PrintWriter out, CompletableFuture<String> ended) {
        return new WebSocketHandler() {
            @Override
            public void onText(WebSocketSession s, String text) {
                out.println("< " + text);
            }

            @Override
            public void onBinary(WebSocketSession s, ByteBuffer data) {
                StringBuilder hex = new StringBuilder();
                for (int i = 0; i < Math.min(32, data.remaining()); i++) {
                    hex.append(String.format("%02x", data.get(data.position() + i)));
                }
                out.println("< [binary, " + data.remaining() + " bytes] " + hex + (data.remaining() > 32 ? "..." : ""));
            }

            @Override
            public void onClose(WebSocketSession s, int code, String reason, boolean clean) {
                ended.complete(
                        "closed " + code + (reason.isEmpty() ? "" : " " + reason) + (clean ? "" : " (not clean)"));
            }
        };
    }
}
