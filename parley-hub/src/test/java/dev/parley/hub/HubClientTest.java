package dev.parley.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.hub.client.ConnectionState;
import dev.parley.hub.client.HubClient;
import dev.parley.hub.client.HubErrorException;
import dev.parley.hub.client.PublishAck;
import dev.parley.hub.client.StateChange;
import dev.parley.hub.client.SubscriptionHandler;
import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketServer;
import dev.parley.websocket.WebSocketSession;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Java hub client against a real hub, through a proxy that cuts connections like a bad network. */
class HubClientTest {
    /** Records what a subscription receives, for the test thread to take. */
    static final class Inbox implements SubscriptionHandler {
        final BlockingQueue<Publication> publications = new LinkedBlockingQueue<>();
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void onPublication(Publication p) {
            publications.add(p);
        }

        @Override
        public void onSubscribed(boolean recovered, String reason) {
            events.add("subscribed " + recovered + (reason.isEmpty() ? "" : " " + reason));
        }

        @Override
        public void onJoin(ClientInfo client) {
            events.add("join " + client.user());
        }

        @Override
        public void onLeave(ClientInfo client) {
            events.add("leave " + client.user());
        }

        @Override
        public void onError(HubErrorException error) {
            events.add("error " + error.code().wireName());
        }

        Publication next() throws InterruptedException {
            Publication p = publications.poll(10, TimeUnit.SECONDS);
            assertThat(p).as("a publication within 10 s").isNotNull();
            return p;
        }

        String event() throws InterruptedException {
            String e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an event within 10 s").isNotNull();
            return e;
        }
    }

    /** Records state changes. */
    static final class States {
        final BlockingQueue<StateChange> changes = new LinkedBlockingQueue<>();

        StateChange until(ConnectionState state) throws InterruptedException {
            while (true) {
                StateChange c = changes.poll(10, TimeUnit.SECONDS);
                assertThat(c).as("state %s within 10 s", state).isNotNull();
                if (c.state() == state) {
                    return c;
                }
            }
        }
    }

    private static URI uri(int port) {
        return URI.create("ws://127.0.0.1:" + port + "/hub");
    }

    /** A bare WebSocket server on /hub that plays a script instead of the hub protocol. */
    private static WebSocketServer scriptedServer(WebSocketHandler script) throws java.io.IOException {
        return WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .route("/hub", script)
                .build()
                .start();
    }

    private static HubClient client(int port, States states) {
        HubClient c = HubClient.builder(uri(port))
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .build();
        if (states != null) {
            c.onState(states.changes::add);
        }
        return c;
    }

    @Test
    void publishIsAcknowledgedAndDeliveredToSubscribers() throws Exception {
        try (HubServer server = HubServer.start();
                HubClient alice = client(server.server.port(), null);
                HubClient bob = client(server.server.port(), null)) {
            Inbox inbox = new Inbox();
            bob.subscribe("chat:room", inbox);
            bob.connect().get(10, TimeUnit.SECONDS);
            assertThat(inbox.event()).isEqualTo("subscribed true");
            alice.connect().get(10, TimeUnit.SECONDS);
            PublishAck ack = alice.publish("chat:room", "{\"text\":\"hi\"}").get(10, TimeUnit.SECONDS);
            assertThat(ack.offset()).isEqualTo(1);
            assertThat(ack.duplicate()).isFalse();
            Publication p = inbox.next();
            assertThat(p.offset()).isEqualTo(1);
            assertThat(p.data()).isEqualTo("{\"text\":\"hi\"}");
            assertThat(p.info().client()).isEqualTo(alice.clientId());

            assertThat(bob.presence("chat:room").get(10, TimeUnit.SECONDS))
                    .extracting(ClientInfo::client)
                    .containsExactly(bob.clientId());
            HistoryResultCheck.assertOffsets(
                    bob.history("chat:room", 10).get(10, TimeUnit.SECONDS).publications(), 1);
            assertThat(alice.ping().get(10, TimeUnit.SECONDS)).isPositive();

            ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    ExecutionException.class, () -> alice.publish("news", "1").get(10, TimeUnit.SECONDS));
            assertThat(refused.getCause()).isInstanceOf(HubErrorException.class);
            assertThat(((HubErrorException) refused.getCause()).code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        }
    }

    /** Tiny helper so that the assertion reads as what it checks. */
    static final class HistoryResultCheck {
        static void assertOffsets(List<Publication> publications, long... offsets) {
            assertThat(publications)
                    .extracting(Publication::offset)
                    .containsExactly(java.util.Arrays.stream(offsets).boxed().toArray(Long[]::new));
        }
    }

    @Test
    void tenThousandPublicationsThroughRepeatedCutsArriveOnceEachInOrder() throws Exception {
        int total = 10_000;
        try (HubServer server = HubServer.start(b ->
                        b.namespace("stream", ChannelOptions.defaults().withHistory(total, Duration.ofMinutes(5))));
                CuttingProxy proxy = new CuttingProxy(server.server.port());
                HubClient client = client(proxy.port(), null)) {
            Inbox inbox = new Inbox();
            client.subscribe("stream:s", inbox);
            client.connect().get(10, TimeUnit.SECONDS);
            assertThat(inbox.event()).isEqualTo("subscribed true");
            Semaphore window = new Semaphore(500);
            // A thread of its own, not the common pool: it blocks while the window is full.
            ExecutorService publisherThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-publisher"));
            CompletableFuture<Void> publisher = CompletableFuture.runAsync(
                    () -> {
                        for (int n = 1; n <= total; n++) {
                            try {
                                if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
                                    throw new IllegalStateException("the subscriber stopped at " + n);
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                            server.hub.publish("stream:s", Integer.toString(n));
                        }
                    },
                    publisherThread);
            int cuts = 0;
            for (int n = 1; n <= total; n++) {
                Publication p = inbox.next();
                assertThat(p.data()).as("publication %d", n).isEqualTo(Integer.toString(n));
                assertThat(p.offset()).isEqualTo(n);
                window.release();
                if (n % 1000 == 500) {
                    proxy.cut();
                    cuts++;
                }
            }
            try {
                publisher.get(30, TimeUnit.SECONDS);
            } finally {
                publisherThread.shutdownNow();
            }
            assertThat(cuts).isEqualTo(10);
            assertThat(inbox.publications.poll(200, TimeUnit.MILLISECONDS))
                    .as("nothing after the last")
                    .isNull();
            assertThat(server.hub.stats().recoveries()).isGreaterThanOrEqualTo(cuts);
            assertThat(server.hub.stats().recoveryFailures()).isZero();
        }
    }

    @Test
    void publishesMadeWhileOfflineWaitInTheOutboxAndAreDeliveredOnce() throws Exception {
        States states = new States();
        try (HubServer server = HubServer.start();
                CuttingProxy proxy = new CuttingProxy(server.server.port());
                HubClient writer = client(proxy.port(), states);
                HubClient reader = client(server.server.port(), null)) {
            Inbox inbox = new Inbox();
            reader.subscribe("open:outbox", inbox);
            reader.connect().get(10, TimeUnit.SECONDS);
            writer.connect().get(10, TimeUnit.SECONDS);
            states.until(ConnectionState.CONNECTED);

            proxy.accepting(false);
            proxy.cut();
            states.until(ConnectionState.DISCONNECTED);
            List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                acks.add(writer.publish("open:outbox", Integer.toString(i)));
            }
            assertThat(writer.outboxSize().get(5, TimeUnit.SECONDS)).isEqualTo(50);
            assertThat(acks).noneMatch(CompletableFuture::isDone);
            states.until(ConnectionState.RECONNECTING);

            proxy.accepting(true);
            for (int i = 0; i < 50; i++) {
                assertThat(acks.get(i).get(10, TimeUnit.SECONDS).offset()).isEqualTo(i + 1);
                assertThat(inbox.next().data()).isEqualTo(Integer.toString(i));
            }
            assertThat(writer.outboxSize().get(5, TimeUnit.SECONDS)).isZero();
            assertThat(inbox.publications.poll(200, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void publishesAcrossCutsAreAcknowledgedAndDeliveredExactlyOnce() throws Exception {
        try (HubServer server = HubServer.start();
                CuttingProxy proxy = new CuttingProxy(server.server.port());
                HubClient writer = client(proxy.port(), null);
                HubClient reader = client(server.server.port(), null)) {
            Inbox inbox = new Inbox();
            reader.subscribe("open:once", inbox);
            reader.connect().get(10, TimeUnit.SECONDS);
            assertThat(inbox.event()).isEqualTo("subscribed true");
            writer.connect().get(10, TimeUnit.SECONDS);
            List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                acks.add(writer.publish("open:once", Integer.toString(i)));
                if (i % 100 == 50) {
                    proxy.cut(); // some publishes and acks are on the wire when it goes
                }
            }
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                seen.add(inbox.next().data());
            }
            assertThat(inbox.publications.poll(300, TimeUnit.MILLISECONDS))
                    .as("no duplicate after the 500")
                    .isNull();
            assertThat(seen).doesNotHaveDuplicates().hasSize(500);
            for (CompletableFuture<PublishAck> f : acks) {
                assertThat(f.get(10, TimeUnit.SECONDS).offset()).isBetween(1L, 500L);
            }
            // One writer, one connection at a time, its outbox in order: the channel keeps its order.
            for (int i = 0; i < 500; i++) {
                assertThat(seen.get(i)).isEqualTo(Integer.toString(i));
            }
        }
    }

    @Test
    void aRecoveryThatCannotBeMadeIsReportedToTheHandler() throws Exception {
        try (HubServer server = HubServer.start(
                        b -> b.namespace("short", ChannelOptions.defaults().withHistory(2, Duration.ofMinutes(5))));
                CuttingProxy proxy = new CuttingProxy(server.server.port());
                HubClient client = client(proxy.port(), null)) {
            Inbox inbox = new Inbox();
            client.subscribe("short:x", inbox);
            client.connect().get(10, TimeUnit.SECONDS);
            assertThat(inbox.event()).isEqualTo("subscribed true");
            proxy.accepting(false);
            proxy.cut();
            for (int i = 1; i <= 5; i++) {
                server.hub.publish("short:x", Integer.toString(i)).get();
            }
            proxy.accepting(true);
            assertThat(inbox.event()).isEqualTo("subscribed false history_too_short");
            server.hub.publish("short:x", "6").get();
            Publication p = inbox.next();
            assertThat(p.data()).isEqualTo("6"); // carries on from the channel's present
            assertThat(inbox.publications).isEmpty();
        }
    }

    @Test
    void aRefusedConnectEndsTheClientWithoutRetrying() throws Exception {
        HubHooks hooks = new HubHooks() {
            @Override
            public ConnectDecision onConnect(ConnectRequest request) {
                return ConnectDecision.unauthorized("bad token");
            }
        };
        States states = new States();
        try (HubServer server = HubServer.start(b -> b.hooks(hooks));
                HubClient client = client(server.server.port(), states)) {
            CompletableFuture<PublishAck> queued = client.publish("open:x", "1");
            assertThatThrownBy(() -> client.connect().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class);
            StateChange closed = states.until(ConnectionState.CLOSED);
            assertThat(closed.code()).isEqualTo(3500);
            assertThat(closed.reason()).isEqualTo("bad token");
            assertThat(queued).isCompletedExceptionally();
            assertThat(states.changes.poll(300, TimeUnit.MILLISECONDS))
                    .as("no further attempt")
                    .isNull();
        }
    }

    @Test
    void closeEndsTheClientsThreadsAtOnceThoughRequestTimeoutsAreScheduled() throws Exception {
        // The client's thread is made by whoever first hands it work: do that in a group of our own.
        ThreadGroup group = new ThreadGroup("hub-client-under-test");
        CompletableFuture<HubClient> made = new CompletableFuture<>();
        try (HubServer server = HubServer.start()) {
            Thread maker = new Thread(
                    group,
                    () -> {
                        HubClient c = client(server.server.port(), null);
                        c.connect().join();
                        made.complete(c);
                    },
                    "maker");
            maker.start();
            HubClient client = made.get(10, TimeUnit.SECONDS);
            maker.join();
            // Every request schedules its timeout on the client's thread (10 s), answered or not.
            client.history("chat:room", 1).get(10, TimeUnit.SECONDS);
            Thread[] threads = new Thread[8];
            List<Thread> mine = java.util.Arrays.asList(threads).subList(0, group.enumerate(threads));
            assertThat(mine).extracting(Thread::getName).contains("parley-hub-client");
            client.close();
            for (Thread t : mine) {
                t.join(2_000); // the request's 10-s timeout task used to keep the client's thread alive
                assertThat(t.isAlive()).as("%s after close()", t.getName()).isFalse();
            }
        }
    }

    @Test
    void aHandlerMayCloseTheClient() throws Exception {
        States states = new States();
        CompletableFuture<String> closedFromHandler = new CompletableFuture<>();
        try (HubServer server = HubServer.start();
                HubClient client = client(server.server.port(), states)) {
            client.subscribe("open:bye", new SubscriptionHandler() {
                @Override
                public void onPublication(Publication p) {
                    client.close(); // on the client's own thread: must not wait for itself
                    closedFromHandler.complete(Thread.currentThread().getName());
                }
            });
            client.connect().get(10, TimeUnit.SECONDS);
            states.until(ConnectionState.CONNECTED);
            server.hub.publish("open:bye", "1").get(10, TimeUnit.SECONDS);
            // Before the fix, close() waited 5 s for a task queued behind the handler calling it.
            assertThat(closedFromHandler.get(2, TimeUnit.SECONDS)).isEqualTo("parley-hub-client");
            StateChange closed = states.until(ConnectionState.CLOSED);
            assertThat(closed.code()).isEqualTo(1000);
        }
    }

    @Test
    void theDisconnectMessageDecidesEvenWhenTheConnectionClosesWithAnotherCode() throws Exception {
        // A server (or a proxy in front of it) that says "do not come back" in the protocol and
        // then ends the WebSocket with a plain 1000: the client must believe the message.
        WebSocketHandler refusing = new WebSocketHandler() {
            @Override
            public void onText(WebSocketSession session, String text) {
                session.send("{\"type\":\"disconnect\",\"code\":3501,\"reason\":\"unsupported version\","
                        + "\"reconnect\":false}");
                session.close(1000, "");
            }
        };
        WebSocketServer scripted = scriptedServer(refusing);
        States states = new States();
        try (HubClient client = client(scripted.port(), states)) {
            assertThatThrownBy(() -> client.connect().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class);
            StateChange closed = states.until(ConnectionState.CLOSED);
            assertThat(closed.code()).isEqualTo(3501);
            assertThat(closed.reason()).isEqualTo("unsupported version");
            assertThat(states.changes.poll(300, TimeUnit.MILLISECONDS))
                    .as("no further attempt")
                    .isNull();
        } finally {
            scripted.shutdown(Duration.ofSeconds(2));
        }
    }

    /**
     * A scripted server that repeats a publication, sends an old one, then skips one: the client
     * delivers each offset once and in order, and on the gap reconnects and recovers from the last
     * offset it delivered.
     */
    @Test
    void duplicatesAreDroppedAndAGapIsRecoveredFromTheLastDeliveredOffset() throws Exception {
        BlockingQueue<String> connects = new LinkedBlockingQueue<>();
        java.util.regex.Pattern idField = java.util.regex.Pattern.compile("\"id\":(\\d+)");
        WebSocketHandler script = new WebSocketHandler() {
            @Override
            public void onText(WebSocketSession session, String text) {
                java.util.regex.Matcher id = idField.matcher(text);
                String idPart = id.find() ? "\"id\":" + id.group(1) + "," : "";
                String hello = "{\"type\":\"connected\"," + idPart
                        + "\"version\":1,\"client\":\"c1\",\"user\":\"\",\"ping\":25000,\"pong\":10000";
                if (text.contains("\"type\":\"connect\"")) {
                    connects.add(text);
                    if (text.contains("\"subscriptions\"")) {
                        // The reconnect: recover what came after the offset the client asks from.
                        session.send(hello + ",\"subscriptions\":[{\"channel\":\"news\",\"epoch\":\"e1\","
                                + "\"offset\":14,\"recoverable\":true,\"recovered\":true,\"publications\":["
                                + "{\"offset\":13,\"data\":13},{\"offset\":14,\"data\":14}]}]}");
                    } else {
                        session.send(hello + "}");
                    }
                } else if (text.contains("\"type\":\"subscribe\"")) {
                    session.send("{\"type\":\"subscribed\"," + idPart
                            + "\"channel\":\"news\",\"epoch\":\"e1\",\"offset\":10,\"recoverable\":true}");
                    for (int offset : new int[] {11, 11, 10, 12, 14}) {
                        session.send("{\"type\":\"pub\",\"channel\":\"news\",\"offset\":" + offset + ",\"data\":"
                                + offset + "}");
                    }
                }
            }
        };
        WebSocketServer scripted = scriptedServer(script);
        States states = new States();
        try (HubClient client = client(scripted.port(), states)) {
            client.connect().get(10, TimeUnit.SECONDS);
            assertThat(connects.poll(10, TimeUnit.SECONDS)).doesNotContain("subscriptions");
            Inbox inbox = new Inbox();
            client.subscribe("news", inbox);
            assertThat(inbox.event()).isEqualTo("subscribed true");
            List<Long> offsets = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                offsets.add(inbox.next().offset());
            }
            assertThat(offsets).containsExactly(11L, 12L, 13L, 14L);
            String reconnect = connects.poll(10, TimeUnit.SECONDS);
            assertThat(reconnect)
                    .as("the reconnect asks to recover from the last offset delivered")
                    .contains("\"channel\":\"news\"")
                    .contains("\"offset\":12")
                    .contains("\"epoch\":\"e1\"");
            assertThat(inbox.event()).isEqualTo("subscribed true");
            assertThat(inbox.publications.poll(200, TimeUnit.MILLISECONDS))
                    .as("nothing delivered twice")
                    .isNull();
        } finally {
            scripted.shutdown(Duration.ofSeconds(2));
        }
    }

    @Test
    void aServerShutdownIsFollowedByAReconnectAfterItsDelay() throws Exception {
        States states = new States();
        try (HubServer server = HubServer.start(b -> b.shutdownSpread(Duration.ofMillis(300)));
                HubClient client = client(server.server.port(), states)) {
            client.connect().get(10, TimeUnit.SECONDS);
            states.until(ConnectionState.CONNECTED);
            server.hub.shutdown();
            assertThat(states.until(ConnectionState.DISCONNECTED).code()).isEqualTo(3000);
            assertThat(states.until(ConnectionState.RECONNECTING).delayMillis()).isBetween(0L, 300L);
            states.until(ConnectionState.CONNECTED);
        }
    }

    @Test
    void aServerThatFallsSilentIsTakenForDead() throws Exception {
        States states = new States();
        // The heartbeat every 200 ms, a pong within 200 ms: the client expects a message every 400 ms.
        try (HubServer server = HubServer.start(b -> b.heartbeat(Duration.ofMillis(200), Duration.ofMillis(200)));
                CuttingProxy proxy = new CuttingProxy(server.server.port());
                HubClient client = client(proxy.port(), states)) {
            client.connect().get(10, TimeUnit.SECONDS);
            states.until(ConnectionState.CONNECTED);
            // Heartbeats pass for a while: the connection stays up through several pings.
            assertThat(states.changes.poll(1, TimeUnit.SECONDS))
                    .as("no state change while pings flow")
                    .isNull();
            proxy.freeze();
            StateChange lost = states.until(ConnectionState.DISCONNECTED);
            assertThat(lost.reason()).startsWith("nothing from the server for 400 ms");
            proxy.thaw();
            states.until(ConnectionState.CONNECTED);
        }
    }
}
