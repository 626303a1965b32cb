package dev.parley.bench.peers;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * The benchmark peers' entry point: {@code java -jar peers.jar <name> --port P [--tls-cert PEM
 * --tls-key PEM] [--deflate]}. Prints exactly {@code READY <port>} on stdout once the server
 * listens on 127.0.0.1, then serves until the process is told to stop (SIGTERM runs the shutdown
 * hook, which stops the server gracefully).
 *
 * <p>JVM flags are not chosen here: the benchmark runner starts every JVM peer with the same ones.
 */
public final class Peers {
    /** Every server by its command-line name. */
    static final Map<String, Supplier<PeerServer>> SERVERS = new TreeMap<>(Map.ofEntries(
            Map.entry("parley", ParleyPeer::new),
            // The same server on java.nio sockets rather than parley-epoll's native ones.
            Map.entry("parley-nio", () -> {
                System.setProperty("parley.io", "nio");
                return new ParleyPeer();
            }),
            Map.entry("parley-shared", () -> new ParleyPeer(ParleyPeer.DeflateSetting.SHARED)),
            Map.entry("parley-stateless", () -> new ParleyPeer(ParleyPeer.DeflateSetting.STATELESS)),
            Map.entry("parley-takeover", () -> new ParleyPeer(ParleyPeer.DeflateSetting.TAKEOVER)),
            Map.entry("parley-level6", () -> new ParleyPeer(ParleyPeer.DeflateSetting.LEVEL6)),
            Map.entry("netty", NettyPeer::new),
            Map.entry("jetty", JettyPeer::new),
            Map.entry("undertow", UndertowPeer::new),
            Map.entry("vertx", VertxPeer::new),
            Map.entry("javawebsocket", JavaWebSocketPeer::new)));

    private Peers() {}

    public static void main(String[] args) throws Exception {
        // Framework logs go to stderr at warn level, so that stdout carries only the READY line.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
        PeerOptions options;
        try {
            options = PeerOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("peers: " + e.getMessage());
            System.err.println("usage: peers <" + String.join("|", SERVERS.keySet())
                    + "> --port P [--tls-cert PEM --tls-key PEM] [--deflate]");
            System.exit(2);
            return;
        }
        Supplier<PeerServer> factory = SERVERS.get(options.name());
        if (factory == null) {
            System.err.println("peers: unknown server " + options.name() + "; one of " + SERVERS.keySet());
            System.exit(2);
            return;
        }
        PeerServer server = factory.get();
        int port = server.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                server.stop();
                            } catch (Exception e) {
                                System.err.println("peers: stopping " + options.name() + ": " + e);
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "peers-shutdown"));
        System.out.println("READY " + port);
        System.out.flush();
        stopped.await();
    }
}
