package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.websocket.WebSocketServer;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code parley client URL} against a real server: lines out, messages in, state shown. */
class ClientCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int client(String lines, String... args) {
        ClientCommand command = new ClientCommand();
        command.input = new BufferedReader(new StringReader(lines));
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, c, p) -> {
            err.write("parley: " + e.getMessage() + "\n");
            return 1;
        });
        return cli.execute(args);
    }

    @Test
    void sendsLinesPrintsEchoesMeasuresAndCloses() throws Exception {
        try (Served served = Served.start()) {
            WebSocketServer server = served.server;
            int status =
                    client("hello\n/ping\n/nope\n/quit\n", "--deflate", "ws://127.0.0.1:" + server.port() + "/echo");
            assertThat(status).isZero();
            assertThat(out.toString())
                    .contains("connected (permessage-deflate)")
                    .contains("< hello")
                    .containsPattern("pong in \\d+\\.\\d\\d ms")
                    .contains("unknown command /nope")
                    .contains("closed 1000");
        }
    }

    @Test
    void speaksTheHubProtocolToAHubUrl() throws Exception {
        try (Served served = Served.start()) {
            WebSocketServer server = served.server;
            // /presence and /history are answered before the next line is read; the published
            // line's own delivery is awaited through /history after it.
            int status = client(
                    "/sub chat:cli\nhello there\n/pub chat:cli {\"n\":2}\n/presence chat:cli\n/history chat:cli 5\n/nope\n/quit\n",
                    "--token",
                    "carol",
                    "ws://127.0.0.1:" + server.port() + "/hub");
            assertThat(status).isZero();
            assertThat(out.toString())
                    .contains("connected as ")
                    .contains("* subscribed to chat:cli")
                    .containsPattern("\\* 1 here")
                    .contains("< [chat:cli #1] carol: \"hello there\"")
                    .contains("< [chat:cli #2] carol: {\"n\":2}")
                    .contains("* latest offset 2")
                    .contains("unknown command /nope");
        }
    }

    @Test
    void anUnreachableServerIsOneSentenceAndStatus1() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        assertThat(client("", "ws://127.0.0.1:" + port + "/echo")).isEqualTo(1);
        assertThat(err.toString()).startsWith("parley: cannot connect to ws://127.0.0.1:" + port + "/echo");
        assertThat(err.toString()).doesNotContain("\tat ");
    }

    @Test
    void aUrlThatIsNotWebSocketIsRefused() {
        assertThat(client("", "http://127.0.0.1/echo")).isEqualTo(1);
        assertThat(err.toString()).contains("must start with ws:// or wss://");
    }
}
