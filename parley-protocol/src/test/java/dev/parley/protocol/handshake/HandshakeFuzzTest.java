package dev.parley.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random bytes and mutated valid heads, fed in random chunks: the outcome is a result or a {@link
 * HandshakeException}, never another exception, and the parser never holds or consumes more than
 * its limits allow.
 */
class HandshakeFuzzTest {
    /** Small limits, so that random input reaches them. */
    private static final HeadLimits LIMITS = new HeadLimits(128, 512, 12);

    private static final List<String> VALID_REQUESTS = List.of(
            Fixtures.RFC_REQUEST,
            "GET /chat?x=1 HTTP/1.1\r\nHost: h:1\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
                    + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=\"10\", x; a\r\n\r\n",
            Fixtures.text(new ClientHandshake(
                            URI.create("ws://[::1]:9/p?q"),
                            List.of("a", "b"),
                            List.of(new ExtensionOffer("permessage-deflate")),
                            new Headers(),
                            new Random(7))
                    .request()));

    /** Bytes that matter to the grammar, favoured by the mutations. */
    private static final byte[] INTERESTING =
            " \t\r\n:;,=\"\\/?#\u0000\u007f\u0080\u00ffaZ9".getBytes(StandardCharsets.ISO_8859_1);

    private record Mutation(int kind, int where, int what) {}

    @Property(tries = 2000)
    void arbitraryBytesGiveARequestOrAHandshakeException(
            @ForAll @Size(max = 800) byte[] input,
            @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 64) Integer> chunks)
            throws Exception {
        serverOutcome(input, chunks);
    }

    @Property(tries = 2000)
    void mutatedRequestsGiveARequestOrAHandshakeException(
            @ForAll("mutatedRequests") byte[] input,
            @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 64) Integer> chunks)
            throws Exception {
        serverOutcome(input, chunks);
    }

    @Property(tries = 1000)
    void arbitraryResponsesGiveAnAgreementOrAClientSideFailure(
            @ForAll("mutatedResponses") byte[] input,
            @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 64) Integer> chunks) {
        ClientHandshake client = new ClientHandshake(
                URI.create("ws://h/"),
                List.of("chat"),
                List.of(new ExtensionOffer("permessage-deflate")),
                new Headers(),
                new Random(3));
        HttpHeadParser<HttpResponse> parser = HttpHeadParser.forResponses(LIMITS);
        try {
            HttpResponse response = feed(parser, input, chunks);
            if (response != null) {
                client.validate(response);
            }
        } catch (HandshakeException e) {
            assertThat(e.status()).isZero();
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    private static void serverOutcome(byte[] input, List<Integer> chunks) throws Exception {
        HttpHeadParser<HttpRequest> parser = HttpHeadParser.forRequests(LIMITS);
        try {
            HttpRequest request = feed(parser, input, chunks);
            if (request == null) {
                return;
            }
            UpgradeRequest upgrade = ServerHandshake.validate(request);
            ByteBuffer response = ServerHandshake.accept(upgrade, null, List.of(), new Headers());
            assertThat(HttpHeadParser.forResponses().parse(response).status()).isEqualTo(101);
        } catch (HandshakeException e) {
            assertThat(e.status()).isBetween(400, 599);
            assertThat(e.getMessage()).isNotBlank().endsWith(".");
            ByteBuffer refusal = ServerHandshake.reject(e);
            assertThat(HttpHeadParser.forResponses().parse(refusal).status()).isEqualTo(e.status());
        }
    }

    /** Feeds {@code input} in chunks of the given sizes, cycling; checks the bounds after each. */
    private static <T> T feed(HttpHeadParser<T> parser, byte[] input, List<Integer> chunks) throws HandshakeException {
        int maxHead = LIMITS.maxStartLine() + LIMITS.maxHeaderSection();
        int position = 0;
        int chunk = 0;
        while (position < input.length) {
            int size = chunks.isEmpty() ? input.length : chunks.get(chunk++ % chunks.size());
            ByteBuffer in = ByteBuffer.wrap(input, position, Math.min(size, input.length - position));
            T result;
            try {
                result = parser.parse(in);
            } finally {
                position = in.position();
                assertThat(position).isLessThanOrEqualTo(maxHead);
                assertThat(parser.bufferedBytes())
                        .isLessThanOrEqualTo(Math.max(LIMITS.maxStartLine(), LIMITS.maxHeaderSection()));
            }
            if (result != null) {
                return result;
            }
        }
        return null;
    }

    @Provide
    Arbitrary<byte[]> mutatedRequests() {
        return mutated(Arbitraries.of(VALID_REQUESTS));
    }

    @Provide
    Arbitrary<byte[]> mutatedResponses() {
        String accept = ServerHandshake.acceptKey(
                new ClientHandshake(URI.create("ws://h/"), List.of(), List.of(), new Headers(), new Random(3)).key());
        return mutated(Arbitraries.of(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept + "\r\nSec-WebSocket-Protocol: chat\r\n"
                        + "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=\"10\"\r\n\r\n",
                "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"));
    }

    private static Arbitrary<byte[]> mutated(Arbitrary<String> bases) {
        Arbitrary<Mutation> mutation = Combinators.combine(
                        Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(0, 10_000),
                        Arbitraries.integers().between(0, 255))
                .as(Mutation::new);
        return Combinators.combine(bases, mutation.list().ofMaxSize(6)).as(HandshakeFuzzTest::apply);
    }

    private static byte[] apply(String base, List<Mutation> mutations) {
        List<Byte> bytes = new ArrayList<>();
        for (byte b : base.getBytes(StandardCharsets.ISO_8859_1)) {
            bytes.add(b);
        }
        for (Mutation m : mutations) {
            int at = bytes.isEmpty() ? 0 : m.where() % bytes.size();
            byte interesting = INTERESTING[m.what() % INTERESTING.length];
            switch (m.kind()) {
                case 0 -> bytes.add(at, interesting);
                case 1 -> {
                    if (!bytes.isEmpty()) {
                        bytes.set(at, interesting);
                    }
                }
                case 2 -> {
                    if (!bytes.isEmpty()) {
                        bytes.remove(at);
                    }
                }
                case 3 -> bytes.add(at, (byte) m.what());
                default -> {
                    // Repeat a slice, as a duplicated header line or a run of one byte would.
                    int end = Math.min(bytes.size(), at + 1 + m.what() % 40);
                    bytes.addAll(at, new ArrayList<>(bytes.subList(at, end)));
                }
            }
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }
}
