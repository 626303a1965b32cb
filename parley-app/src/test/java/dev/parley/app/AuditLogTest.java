package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.parley.websocket.WebSocketServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** The audit trail: one line per refused request and per abnormal close, with address and reason. */
class AuditLogTest {
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final AppenderBase<ILoggingEvent> lines = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            queue.add(event.getFormattedMessage());
        }
    };
    private final Logger audit = (Logger) LoggerFactory.getLogger("parley.audit");
    private ServeCommand serve;
    private WebSocketServer server;

    @BeforeEach
    void start() throws Exception {
        lines.start();
        audit.addAppender(lines);
        serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--host", "127.0.0.1", "--port", "0");
        server = serve.build().start();
    }

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(2));
        serve.hub.close();
        audit.detachAppender(lines);
    }

    /** The audit lines the server writes on its event loop: {@code count} of them, then none more for 200 ms. */
    private List<String> awaitLines(int count) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String line = queue.poll(5, TimeUnit.SECONDS);
            assertThat(line).as("audit line %d within 5 s", i + 1).isNotNull();
            out.add(line);
        }
        String extra = queue.poll(200, TimeUnit.MILLISECONDS);
        assertThat(extra).as("no further audit line").isNull();
        return out;
    }

    @Test
    void aRefusedHandshakeIsOneLineWithAddressStatusAndReason() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Version: 13\r\n\r\n") // no key: a bad handshake
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
                    .isEqualTo("HTTP/1.1 400");
            List<String> logged = awaitLines(1);
            assertThat(logged).hasSize(1);
            assertThat(logged.get(0))
                    .matches("event=request_rejected remote=127\\.0\\.0\\.1:\\d+ status=400 reason=\".+\"");
        }
    }

    @Test
    void anAbnormalCloseIsOneLineWithAddressCodeAndReason() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
                    .isEqualTo("HTTP/1.1 101");
            s.getInputStream().skipNBytes(s.getInputStream().available()); // the rest of the 101
            out.write(new byte[] {(byte) 0x81, 0x05, 'h', 'e', 'l', 'l', 'o'}); // unmasked: a protocol error
            out.flush();
            // The server's close frame (1002), then the client goes away without answering it.
            byte[] head = new byte[4];
            int read = 0;
            while (read < 4) {
                int n = s.getInputStream().read(head, read, 4 - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            s.close();
            List<String> logged = awaitLines(1);
            assertThat(logged).hasSize(1);
            assertThat(logged.get(0))
                    .matches(
                            "event=abnormal_close remote=127\\.0\\.0\\.1:\\d+ path=/echo code=1002 clean=\\w+ reason=\".+\"");
        }
    }
}
