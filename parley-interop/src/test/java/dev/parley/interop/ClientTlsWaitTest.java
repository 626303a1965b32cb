package dev.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.websocket.ServerLimits;
import dev.parley.websocket.WebSocketClient;
import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketSession;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A {@code wss://} client whose server is slow to answer its TLS hello waits for the socket to
 * become readable: its event loop does not spin on a writable socket it has nothing to write to.
 */
class ClientTlsWaitTest {
    /** Long enough that a spinning loop would burn most of it on its CPU. */
    private static final Duration WAIT = Duration.ofMillis(800);

    @Test
    void aClientWaitingForTheServersTlsHelloDoesNotSpin() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
                WebSocketClient client = WebSocketClient.builder()
                        .eventLoops(1)
                        .limits(ServerLimits.defaults().withHandshakeTimeout(WAIT))
                        .build()) {
            CompletableFuture<Socket> accepted = new CompletableFuture<>();
            Thread acceptor = new Thread(() -> {
                try {
                    accepted.complete(silent.accept());
                } catch (Exception e) {
                    accepted.completeExceptionally(e);
                }
            });
            acceptor.start();
            CompletableFuture<WebSocketSession> session = client.connect(
                    URI.create("wss://127.0.0.1:" + silent.getLocalPort() + "/"), new WebSocketHandler() {});
            try (Socket server = accepted.get(5, TimeUnit.SECONDS)) {
                InputStream in = server.getInputStream();
                assertThat(in.read())
                        .as("the first byte of the client's TLS hello")
                        .isEqualTo(0x16);
                long before = loopCpuNanos();

                // The server never answers: the client waits until its handshake timeout.
                assertThatThrownBy(() -> session.get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasMessageContaining("handshake");
                long used = loopCpuNanos() - before;

                assertThat(Duration.ofNanos(used))
                        .as("CPU the client's loop used while it waited %s for the server", WAIT)
                        .isLessThan(WAIT.dividedBy(4));
            }
        }
    }

    /** CPU time of the client's event loop thread. */
    private static long loopCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("parley-client-")) {
                total += threads.getThreadCpuTime(t.getId());
            }
        }
        return total;
    }
}
