package dev.parley.interop;

import dev.parley.websocket.TestCertificates;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Parley's client against Jetty 12.1's WebSocket server, which negotiates permessage-deflate by
 * default. (Public, with a public endpoint class: Jetty finds the listener methods by reflection.)
 */
public class JettyServerTest extends ParleyClientContract {
    private Server jetty;
    private final Map<String, LinkedBlockingQueue<String>> closes = new ConcurrentHashMap<>();

    @Override
    protected void startPeer() throws Exception {
        jetty = startJetty(scheme(), closes);
    }

    /**
     * Jetty serving {@code /echo}, {@code /cmd} and {@code /greet} on a free loopback port; over wss
     * with {@link ParleyEchoServer#identity()}'s PKCS#12 key store. Each close it sees goes to {@code
     * closes} under the connection's tag.
     */
    static Server startJetty(ParleyEchoServer.Scheme scheme, Map<String, LinkedBlockingQueue<String>> closes)
            throws Exception {
        Server jetty = new Server();
        ServerConnector connector;
        if (scheme.secure()) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(ParleyEchoServer.identity().keyStore().toString());
            ssl.setKeyStoreType("PKCS12");
            ssl.setKeyStorePassword(new String(TestCertificates.PASSWORD));
            connector = new ServerConnector(jetty, 1, 1, ssl);
        } else {
            connector = new ServerConnector(jetty, 1, 1);
        }
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(jetty, context, container -> {
            container.setMaxTextMessageSize(ParleyEchoServer.MAX_MESSAGE);
            container.setMaxBinaryMessageSize(ParleyEchoServer.MAX_MESSAGE);
            container.setMaxFrameSize(ParleyEchoServer.MAX_MESSAGE);
            container.setIdleTimeout(Duration.ofSeconds(60));
            container.addMapping("/echo", (rq, rs, cb) -> new Endpoint(false, closes));
            container.addMapping("/cmd", (rq, rs, cb) -> new Endpoint(true, closes));
            container.addMapping("/greet", (rq, rs, cb) -> new Endpoint(false, closes).greeting());
        });
        context.setHandler(ws);
        jetty.setHandler(context);
        jetty.start();
        return jetty;
    }

    /** The port a started {@link #startJetty} server listens on. */
    static int port(Server jetty) {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    @Override
    protected void stopPeer() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
    }

    @Override
    protected URI uri(String path, String tag) {
        ParleyEchoServer.Scheme scheme = scheme();
        return URI.create(scheme.uriScheme + "://" + scheme.host + ":" + port(jetty) + path + "?tag=" + tag);
    }

    @Override
    protected boolean expectCompressed() {
        return true;
    }

    @Override
    protected String serverSawClose(String tag) throws Exception {
        String seen = queue(tag).poll(10, TimeUnit.SECONDS);
        if (seen == null) {
            throw new AssertionError("Jetty reported no close for " + tag + " within 10 s");
        }
        return seen;
    }

    private LinkedBlockingQueue<String> queue(String tag) {
        return queue(closes, tag);
    }

    static LinkedBlockingQueue<String> queue(Map<String, LinkedBlockingQueue<String>> closes, String tag) {
        return closes.computeIfAbsent(tag, t -> new LinkedBlockingQueue<>());
    }

    /** Echo, or the contract's commands; sends are chained so that one is in flight at a time. */
    public static final class Endpoint implements Session.Listener.AutoDemanding {
        private final boolean commands;
        private final Map<String, LinkedBlockingQueue<String>> closes;
        private Session session;
        private String tag = "-";
        private boolean greet;

        Endpoint(boolean commands, Map<String, LinkedBlockingQueue<String>> closes) {
            this.commands = commands;
            this.closes = closes;
        }

        /** Sends "hello <tag>" as soon as the session opens, right behind the 101 response. */
        Endpoint greeting() {
            greet = true;
            return this;
        }

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
            var tags = s.getUpgradeRequest().getParameterMap().get("tag");
            if (tags != null && !tags.isEmpty()) {
                tag = tags.get(0);
            }
            if (greet) {
                session.sendText("hello " + tag, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketText(String text) {
            if (commands) {
                command(text.split(" "));
            } else {
                session.sendText(text, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketBinary(ByteBuffer data, Callback callback) {
            session.sendBinary(data, callback);
        }

        @Override
        public void onWebSocketPong(ByteBuffer data) {
            String text = StandardCharsets.UTF_8.decode(data).toString();
            if (!text.startsWith("between ")) {
                session.sendText("pong " + text, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketClose(int code, String reason) {
            queue(closes, tag).add(code + " " + reason);
        }

        private void command(String[] words) {
            switch (words[0]) {
                case "fragments" -> {
                    int count = Integer.parseInt(words[2]);
                    int bytes = Integer.parseInt(words[3]);
                    if (words[1].equals("text")) {
                        String text = Payloads.text(bytes);
                        sendTextFragments(text, Math.max(1, (text.length() + count - 1) / count), 0);
                    } else {
                        sendBinaryFragments(ByteBuffer.wrap(Payloads.binary(bytes)), count, 0);
                    }
                }
                case "ping" ->
                    session.sendPing(
                            StandardCharsets.UTF_8.encode(String.join(
                                    " ", java.util.Arrays.asList(words).subList(1, words.length))),
                            Callback.NOOP);
                case "close" ->
                    session.close(
                            Integer.parseInt(words[1]),
                            String.join(" ", java.util.Arrays.asList(words).subList(2, words.length)),
                            Callback.NOOP);
                case "interleave" -> interleave(Payloads.text(Integer.parseInt(words[1]) * 2000), 0, 0);
                case "close-empty" -> session.close(1005, null, Callback.NOOP);
                case "terminate" -> session.disconnect();
                default -> session.sendText("unknown command " + words[0], Callback.NOOP);
            }
        }

        /** Jetty's partial text takes whole strings, so text splits between characters here. */
        private void sendTextFragments(String text, int size, int from) {
            int to = Math.min(text.length(), from + size);
            if (to < text.length() && Character.isHighSurrogate(text.charAt(to - 1))) {
                to++;
            }
            boolean last = to == text.length();
            int next = to;
            session.sendPartialText(
                    text.substring(from, to),
                    last,
                    Callback.from(
                            () -> {
                                if (!last) {
                                    sendTextFragments(text, size, next);
                                }
                            },
                            Throwable::printStackTrace));
        }

        /** Text in fragments of about 1000 characters, a ping between each two. */
        private void interleave(String text, int from, int i) {
            int to = Math.min(text.length(), from + 1000);
            if (to < text.length() && Character.isHighSurrogate(text.charAt(to - 1))) {
                to++;
            }
            boolean last = to == text.length();
            int next = to;
            if (i > 0) {
                session.sendPing(StandardCharsets.UTF_8.encode("between " + i), Callback.NOOP);
            }
            session.sendPartialText(
                    text.substring(from, to),
                    last,
                    Callback.from(
                            () -> {
                                if (!last) {
                                    interleave(text, next, i + 1);
                                }
                            },
                            Throwable::printStackTrace));
        }

        private void sendBinaryFragments(ByteBuffer data, int count, int i) {
            int size = (data.capacity() + count - 1) / count;
            int from = Math.min(data.capacity(), i * size);
            int to = Math.min(data.capacity(), from + size);
            boolean last = i == count - 1;
            session.sendPartialBinary(
                    data.slice(from, to - from),
                    last,
                    Callback.from(
                            () -> {
                                if (!last) {
                                    sendBinaryFragments(data, count, i + 1);
                                }
                            },
                            Throwable::printStackTrace));
        }
    }
}
