package dev.parley.app;

import dev.parley.hub.ChannelOptions;
import dev.parley.hub.Hub;
import dev.parley.protocol.Limits;
import dev.parley.protocol.deflate.DeflateConfig;
import dev.parley.websocket.ServerLimits;
import dev.parley.websocket.TlsConfig;
import dev.parley.websocket.WebSocketServer;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley serve}: starts the server with its endpoints. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Starts the Parley server.",
            "Endpoints: ws://HOST:PORT/echo (echoes every message; permessage-deflate when offered),",
            "ws://HOST:PORT/hub (the hub: channels, presence, history, recovery; docs/PROTOCOL.md),",
            "GET /metrics (Prometheus text), GET /health (200 when ready)."
        })
final class ServeCommand implements Callable<Integer> {
    /** Returned when the server runs on: main must not exit. */
    static final int KEEP_RUNNING = -1;

    /** /echo accepts messages this large, so that the standard conformance suite's big cases run. */
    static final long ECHO_MAX_MESSAGE = 64L << 20;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain (PEM) for https and wss.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key (PEM, PKCS#8) for --tls-cert.")
    Path tlsKey;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = {
                "Settings from a properties file (keys are the flags without '--', e.g. port=9000).",
                "Environment variables PARLEY_<FLAG> (e.g. PARLEY_PORT) override the file; flags override both."
            })
    Path config;

    @Option(names = "--event-loops", paramLabel = "N", description = "Event loop threads (default: one per core).")
    Integer eventLoops;

    WebSocketServer server;
    Hub hub;
    Telemetry telemetry;
    StatsFeed stats;

    @Override
    public Integer call() throws IOException {
        server = build();
        try {
            server.start();
        } catch (BindException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage()
                    + " (is another server using the port? try --port)");
        }
        stats = new StatsFeed(server, hub, telemetry).start();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stats.close();
                            hub.shutdown(); // clients are told to come back, spread over a few seconds
                            server.shutdown(Duration.ofSeconds(5));
                            hub.close();
                        },
                        "parley-shutdown"));
        String scheme = tlsCert != null ? "https" : "http";
        String ws = tlsCert != null ? "wss" : "ws";
        String shown = host.equals("0.0.0.0") ? "localhost" : host;
        System.out.println("Parley is listening on " + scheme + "://" + shown + ":" + server.port() + "/");
        System.out.println("  echo:   " + ws + "://" + shown + ":" + server.port() + "/echo");
        System.out.println("  hub:    " + ws + "://" + shown + ":" + server.port() + "/hub");
        System.out.println("  metrics: " + scheme + "://" + shown + ":" + server.port() + "/metrics");
        System.out.println("  health: " + scheme + "://" + shown + ":" + server.port() + "/health");
        return KEEP_RUNNING;
    }

    /**
     * The demo's hub: rooms in {@code chat:} (history, presence, join/leave, clients publish);
     * other channels keep history but take publications from server code only.
     */
    static Hub demoHub() {
        return Hub.builder()
                .hooks(new DemoHooks())
                .namespace("chat", ChannelOptions.defaults().withPresence(true).withClientPublish(true))
                .build();
    }

    WebSocketServer build() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        ServerLimits limits = ServerLimits.defaults()
                .withProtocol(Limits.defaults()
                        .withMaxMessageSize(ECHO_MAX_MESSAGE)
                        .withMaxFramePayload(ECHO_MAX_MESSAGE)
                        .withMaxFragments(1 << 20));
        hub = demoHub();
        telemetry = new Telemetry();
        WebSocketServer.Builder builder = WebSocketServer.builder()
                .observer(telemetry)
                .host(host)
                .port(port)
                .limits(limits)
                .compression(DeflateConfig.defaults())
                .route("/echo", new EchoHandler())
                // The hub's commands are small (64 KiB at most): its route keeps the 1 MiB default
                // rather than /echo's 64 MiB, and the hub answers 64 KiB-1 MiB with error 103.
                .route("/hub", hub.webSocketHandler(), Limits.defaults())
                .http("/health", exchange -> exchange.respond(200, "text/plain; charset=utf-8", "ok\n"))
                .http(
                        "/metrics",
                        exchange ->
                                exchange.respond(200, "text/plain; version=0.0.4; charset=utf-8", telemetry.scrape()));
        StaticSite.register(builder);
        if (eventLoops != null) {
            builder.eventLoops(eventLoops);
        }
        if (tlsCert != null) {
            for (Path file : new Path[] {tlsCert, tlsKey}) {
                if (!Files.isReadable(file)) {
                    throw new IllegalArgumentException("cannot read " + file);
                }
            }
            builder.tls(TlsConfig.pem(tlsCert, tlsKey));
        }
        WebSocketServer built = builder.build();
        telemetry.bind(built, hub);
        return built;
    }
}
