package dev.parley.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerOptionsTest {
    @Test
    void parsesTheRunnersCommandLine() {
        assertThat(PeerOptions.parse(List.of("netty", "--port", "9001")))
                .isEqualTo(new PeerOptions("netty", 9001, null, null, false));
        assertThat(PeerOptions.parse(
                        List.of("jetty", "--deflate", "--port", "0", "--tls-cert", "c.pem", "--tls-key", "k.pem")))
                .isEqualTo(new PeerOptions("jetty", 0, Path.of("c.pem"), Path.of("k.pem"), true));
    }

    @Test
    void refusesIncompleteCommandLines() {
        assertThatThrownBy(() -> PeerOptions.parse(List.of("netty"))).hasMessageContaining("--port");
        assertThatThrownBy(() -> PeerOptions.parse(List.of("netty", "--port", "1", "--tls-cert", "c.pem")))
                .hasMessageContaining("go together");
        assertThatThrownBy(() -> PeerOptions.parse(List.of("netty", "--port", "1", "--fast")))
                .hasMessageContaining("unknown argument");
    }

    @Test
    void everyServerHasAName() {
        assertThat(Peers.SERVERS)
                .containsOnlyKeys(
                        "parley",
                        "parley-nio",
                        "parley-shared",
                        "parley-stateless",
                        "parley-takeover",
                        "parley-level6",
                        "netty",
                        "jetty",
                        "undertow",
                        "vertx",
                        "javawebsocket");
    }
}
