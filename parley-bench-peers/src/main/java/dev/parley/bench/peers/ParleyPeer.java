package dev.parley.bench.peers;

import dev.parley.hub.ChannelOptions;
import dev.parley.hub.Hub;
import dev.parley.protocol.Limits;
import dev.parley.protocol.deflate.DeflateConfig;
import dev.parley.websocket.ServerLimits;
import dev.parley.websocket.TlsConfig;
import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketServer;
import dev.parley.websocket.WebSocketSession;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Parley's {@link WebSocketServer} with its defaults: one event loop per core (the builder's
 * default, so 2 on the benchmark machine), handlers on the loop, permessage-deflate with {@link
 * DeflateConfig#defaults()} only with {@code --deflate}.
 *
 * <p>Limits changed from {@link ServerLimits#defaults()}, as for the other peers: messages and
 * frames up to {@link PeerOptions#MAX_MESSAGE}, an outbound buffer that holds two such echoes, and
 * no per-address cap below the global one (the benchmark opens tens of thousands of connections
 * from a few loopback addresses; no other peer has such a cap).
 *
 * <p>Broadcast: {@link WebSocketServer#broadcast(String, String, WebSocketSession)} frames the
 * message once (and compresses it once for stateless-deflate sessions) and sends it to every
 * other session of {@code /broadcast}, leaving out the sender like every other peer.
 *
 * <p>Hub (Parley only, for scenario 7): {@code /hub} serves the hub with a namespace {@code bench}
 * where clients may publish, with a command rate no benchmark publisher reaches, so that the
 * load generator measures the hub's fan-out, not its rate limit.
 */
final class ParleyPeer implements PeerServer {
    private static final String BROADCAST = "/broadcast";
    private WebSocketServer server;
    private Hub hub;

    @Override
    public int start(PeerOptions options) throws Exception {
        ServerLimits limits = ServerLimits.defaults()
                .withProtocol(Limits.defaults()
                        .withMaxMessageSize(PeerOptions.MAX_MESSAGE)
                        .withMaxFramePayload(PeerOptions.MAX_MESSAGE))
                .withMaxOutboundBuffer(2L * PeerOptions.MAX_MESSAGE)
                .withMaxConnectionsPerAddress(ServerLimits.defaults().maxConnections());
        WebSocketServer.Builder builder = WebSocketServer.builder()
                .host(PeerOptions.HOST)
                .port(options.port())
                .limits(limits)
                .route("/echo", new Echo())
                .route(BROADCAST, new Broadcaster());
        hub = Hub.builder()
                .namespace("bench", ChannelOptions.defaults().withClientPublish(true))
                .commandRate(1_000_000, 1_000_000)
                .maxQueuedBytes(limits.maxOutboundBuffer())
                .build();
        builder.route("/hub", hub.webSocketHandler());
        if (options.deflate()) {
            builder.compression(deflate.config());
        }
        if (options.tls()) {
            builder.tls(TlsConfig.pem(options.tlsCert(), options.tlsKey()));
        }
        server = builder.build().start();
        System.err.println("parley: sockets on " + server.io());
        return server.port();
    }

    /** The permessage-deflate settings this peer runs with under {@code --deflate}. */
    enum DeflateSetting {
        /** {@link DeflateConfig#defaults()}: adaptive on our side, context takeover on the client's. */
        DEFAULTS,
        /** Our side compresses each message on its own and says so; the client keeps its context. */
        SHARED,
        /** No context takeover either way: the client is asked for {@code client_no_context_takeover}. */
        STATELESS,
        /** Context takeover both ways: one compressor per connection, for every connection. */
        TAKEOVER,
        /** The defaults at zlib's level 6 instead of 1. */
        LEVEL6;

        DeflateConfig config() {
            return switch (this) {
                case DEFAULTS -> DeflateConfig.defaults();
                case SHARED -> DeflateConfig.defaults().withLocalNoContextTakeover(true);
                case STATELESS ->
                    DeflateConfig.defaults().withLocalNoContextTakeover(true).withPeerNoContextTakeover(true);
                case TAKEOVER -> DeflateConfig.defaults().withSharing(DeflateConfig.Sharing.DEDICATED);
                case LEVEL6 -> DeflateConfig.defaults().withCompressionLevel(6);
            };
        }
    }

    private final DeflateSetting deflate;

    ParleyPeer() {
        this(DeflateSetting.DEFAULTS);
    }

    /**
     * A Parley peer with other deflate settings, for the experiments in BENCHMARKS.md ("Deflate:
     * what the peer is asked", "Deflate: a kept context where it pays" and "Deflate: the level"): the
     * runner knows them as {@code parley-shared}, {@code parley-stateless}, {@code parley-takeover}
     * and {@code parley-level6}.
     */
    ParleyPeer(DeflateSetting deflate) {
        this.deflate = deflate;
    }

    @Override
    public void stop() {
        if (hub != null) {
            hub.shutdown();
        }
        if (server != null) {
            server.shutdown(Duration.ofSeconds(3));
        }
        if (hub != null) {
            hub.close();
        }
    }

    private static final class Echo implements WebSocketHandler {
        @Override
        public void onText(WebSocketSession session, String text) {
            session.send(text);
        }

        @Override
        public void onBinary(WebSocketSession session, ByteBuffer data) {
            session.send(data);
        }
    }

    private final class Broadcaster implements WebSocketHandler {
        @Override
        public void onText(WebSocketSession session, String text) {
            server.broadcast(BROADCAST, text, session);
        }

        @Override
        public void onBinary(WebSocketSession session, ByteBuffer data) {
            server.broadcast(BROADCAST, data, session);
        }
    }
}
