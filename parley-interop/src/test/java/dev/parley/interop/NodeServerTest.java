package dev.parley.interop;

import dev.parley.interop.ParleyEchoServer.Scheme;
import dev.parley.protocol.deflate.DeflateConfig;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Nested;

/**
 * Parley's client against Node's {@code ws} server, with and without permessage-deflate: one Node
 * process serves both, on two ports. Over wss ({@link Scheme#WSS}) Node serves through {@code
 * https.createServer} with {@link ParleyEchoServer#identity()}'s certificate and key, and the client
 * trusts exactly that certificate.
 */
class NodeServerTest {
    private static NodePeer node;
    private static int plainPort;
    private static int deflatePort;

    static synchronized void startNode(Scheme scheme) throws Exception {
        if (node == null) {
            node = scheme.secure()
                    ? NodePeer.start(
                            "server",
                            ParleyEchoServer.identity().certificatePem().toString(),
                            ParleyEchoServer.identity().keyPem().toString())
                    : NodePeer.start("server");
            String[] listening = node.next(Duration.ofSeconds(20)).split(" ");
            if (!listening[0].equals("listening")) {
                throw new AssertionError("the Node server did not start: " + String.join(" ", listening));
            }
            plainPort = Integer.parseInt(listening[1]);
            deflatePort = Integer.parseInt(listening[2]);
        }
    }

    static synchronized void stopNode() throws Exception {
        if (node != null) {
            node.close();
            node = null;
        }
    }

    abstract static class Against extends ParleyClientContract {
        abstract int port();

        @Override
        protected void startPeer() throws Exception {
            startNode(scheme());
        }

        @Override
        protected void stopPeer() throws Exception {
            stopNode();
        }

        @Override
        protected URI uri(String path, String tag) {
            Scheme scheme = scheme();
            return URI.create(scheme.uriScheme + "://" + scheme.host + ":" + port() + path + "?tag=" + tag);
        }

        @Override
        protected String serverSawClose(String tag) throws Exception {
            String line = node.await(l -> l.startsWith("closed " + tag + " "), Duration.ofSeconds(10));
            return line.substring(("closed " + tag + " ").length());
        }
    }

    /** The server negotiates permessage-deflate; the client offers it. */
    @Nested
    class WithDeflate extends Against {
        @Override
        int port() {
            return deflatePort;
        }

        @Override
        protected boolean expectCompressed() {
            return true;
        }
    }

    /**
     * Context takeover in both directions: the client keeps its compressor between messages
     * (DEDICATED) and lets the server keep its own, so each side must keep a 32 KiB window.
     */
    @Nested
    class WithDeflateContextTakeover extends Against {
        @Override
        int port() {
            return deflatePort;
        }

        @Override
        protected DeflateConfig compression() {
            return DeflateConfig.defaults().withLocalNoContextTakeover(false).withPeerNoContextTakeover(false);
        }

        @Override
        protected boolean expectCompressed() {
            return true;
        }
    }

    /** The client offers permessage-deflate; the server declines. */
    @Nested
    class WithoutDeflate extends Against {
        @Override
        int port() {
            return plainPort;
        }

        @Override
        protected boolean expectCompressed() {
            return false;
        }
    }

    /** wss: Node's server behind https negotiates permessage-deflate; the client offers it. */
    @Nested
    class WssWithDeflate extends WithDeflate {
        @Override
        protected Scheme scheme() {
            return Scheme.WSS;
        }
    }

    /** wss: the client offers permessage-deflate; Node's server behind https declines. */
    @Nested
    class WssWithoutDeflate extends WithoutDeflate {
        @Override
        protected Scheme scheme() {
            return Scheme.WSS;
        }
    }
}
