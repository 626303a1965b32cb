package dev.parley.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.websocket.WebSocketServer;
import org.junit.jupiter.api.Test;

class EpollInUseTest {
    @Test
    void theLibraryLoadsHere() {
        assertThat(Native.UNAVAILABLE).isNull();
        assertThat(new EpollIo().available()).isTrue();
    }

    @Test
    void aServerStartedWithThisModulePresentRunsOnEpoll() throws Exception {
        try (WebSocketServer server =
                WebSocketServer.builder().host("127.0.0.1").port(0).build().start()) {
            assertThat(server.io()).isEqualTo("epoll");
            assertThat(server.port()).isPositive();
        }
    }
}
