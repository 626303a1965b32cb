package dev.parley.hub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.hub.ChannelOptions;
import dev.parley.hub.ClientInfo;
import dev.parley.hub.Publication;
import dev.parley.hub.StreamPosition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The in-memory broker's offsets, epochs, history, expiry, deduplication and presence. */
class InMemoryBrokerTest {
    /** A clock the test moves. */
    private static final class ManualClock extends Clock {
        long millis = 1_000_000;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final ManualClock clock = new ManualClock();
    // The sweeper runs only when the test calls it.
    private final InMemoryBroker broker = new InMemoryBroker(clock, Duration.ofDays(1));
    private final List<Publication> delivered = new ArrayList<>();
    private final List<String> presenceEvents = new ArrayList<>();
    private final ChannelOptions options =
            ChannelOptions.defaults().withHistory(3, Duration.ofSeconds(10)).withDedup(2, Duration.ofSeconds(5));
    private final ClientInfo alice = new ClientInfo("c1", "alice", "t", "1");

    {
        broker.start(new BrokerListener() {
            @Override
            public void onPublication(Publication publication) {
                delivered.add(publication);
            }

            @Override
            public void onJoin(String channel, ClientInfo info) {
                presenceEvents.add("join " + channel + " " + info.client());
            }

            @Override
            public void onLeave(String channel, ClientInfo info) {
                presenceEvents.add("leave " + channel + " " + info.client());
            }
        });
    }

    @AfterEach
    void close() {
        broker.close();
    }

    private PublishResult publish(String channel, String data, String mid) {
        return broker.publish(channel, options, data, alice, mid)
                .toCompletableFuture()
                .join();
    }

    private HistoryResult history(String channel, StreamPosition since, int limit) {
        return broker.history(channel, options, since, limit)
                .toCompletableFuture()
                .join();
    }

    @Test
    void offsetsCountFromOneInOneEpochAndEveryPublicationIsDeliveredInOrder() {
        PublishResult first = publish("a", "1", null);
        PublishResult second = publish("a", "2", null);
        PublishResult other = publish("b", "x", null);
        assertThat(first.position().offset()).isEqualTo(1);
        assertThat(second.position())
                .isEqualTo(new StreamPosition(2, first.position().epoch()));
        assertThat(other.position().offset()).isEqualTo(1);
        assertThat(other.position().epoch()).isNotEqualTo(first.position().epoch());
        assertThat(delivered)
                .extracting(Publication::channel, Publication::offset, Publication::data)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", 1L, "1"),
                        org.assertj.core.groups.Tuple.tuple("a", 2L, "2"),
                        org.assertj.core.groups.Tuple.tuple("b", 1L, "x"));
    }

    @Test
    void historyKeepsTheLatestAndAnswersSinceAPosition() {
        for (int i = 1; i <= 5; i++) {
            publish("a", Integer.toString(i), null);
        }
        String epoch = history("a", null, 0).top().epoch();
        assertThat(history("a", null, 10).publications())
                .extracting(Publication::offset)
                .containsExactly(3L, 4L, 5L);
        assertThat(history("a", null, 1).publications())
                .extracting(Publication::offset)
                .containsExactly(5L);
        HistoryResult since2 = history("a", new StreamPosition(2, epoch), 10);
        assertThat(since2.outcome()).isEqualTo(HistoryResult.Outcome.COMPLETE);
        assertThat(since2.publications()).extracting(Publication::offset).containsExactly(3L, 4L, 5L);
        assertThat(history("a", new StreamPosition(1, epoch), 10).outcome()).isEqualTo(HistoryResult.Outcome.TOO_SHORT);
        assertThat(history("a", new StreamPosition(5, epoch), 10).publications())
                .isEmpty();
        assertThat(history("a", new StreamPosition(6, epoch), 10).outcome())
                .isEqualTo(HistoryResult.Outcome.FUTURE_OFFSET);
        assertThat(history("a", new StreamPosition(2, "other"), 10).outcome())
                .isEqualTo(HistoryResult.Outcome.EPOCH_CHANGED);
    }

    @Test
    void historyExpiresByItsTimeToLive() {
        publish("a", "old", null);
        clock.millis += 6_000;
        publish("a", "new", null);
        String epoch = history("a", null, 0).top().epoch();
        clock.millis += 5_000; // "old" is 11 s old, "new" 5 s
        assertThat(history("a", null, 10).publications())
                .extracting(Publication::data)
                .containsExactly("new");
        assertThat(history("a", new StreamPosition(0, epoch), 10).outcome()).isEqualTo(HistoryResult.Outcome.TOO_SHORT);
        assertThat(history("a", new StreamPosition(1, epoch), 10).outcome()).isEqualTo(HistoryResult.Outcome.COMPLETE);
    }

    @Test
    void aChannelNothingHoldsIsForgottenAndComesBackInANewEpoch() {
        StreamPosition before = publish("a", "1", null).position();
        broker.sweep();
        assertThat(broker.channelCount()).isEqualTo(1); // history still holds it
        clock.millis += 11_000;
        broker.sweep();
        assertThat(broker.channelCount()).isZero();
        StreamPosition after = publish("a", "2", null).position();
        assertThat(after.offset()).isEqualTo(1);
        assertThat(after.epoch()).isNotEqualTo(before.epoch());
        assertThat(history("a", before, 10).outcome()).isEqualTo(HistoryResult.Outcome.EPOCH_CHANGED);
    }

    @Test
    void aNodeSubscriptionKeepsTheChannelAndItsEpoch() {
        broker.subscribeNode("a").toCompletableFuture().join();
        StreamPosition before = publish("a", "1", null).position();
        clock.millis += 60_000;
        broker.sweep();
        assertThat(publish("a", "2", null).position()).isEqualTo(new StreamPosition(2, before.epoch()));
        broker.unsubscribeNode("a");
        clock.millis += 60_000;
        broker.sweep();
        assertThat(broker.channelCount()).isZero();
    }

    @Test
    void aRetriedMessageIdIsAcceptedOnceWithinTheWindow() {
        PublishResult first = publish("a", "x", "m1");
        PublishResult again = publish("a", "x", "m1");
        assertThat(again.duplicate()).isTrue();
        assertThat(again.position()).isEqualTo(first.position());
        assertThat(delivered).hasSize(1);

        // The window holds two ids: a third pushes m1 out.
        publish("a", "y", "m2");
        publish("a", "z", "m3");
        assertThat(publish("a", "x", "m1").duplicate()).isFalse();

        // And an id is remembered for 5 s.
        PublishResult m4 = publish("a", "w", "m4");
        clock.millis += 4_000;
        assertThat(publish("a", "w", "m4").position()).isEqualTo(m4.position());
        clock.millis += 1_000;
        assertThat(publish("a", "w", "m4").duplicate()).isFalse();
    }

    @Test
    void presenceTracksClientsAndTellsOfJoinsAndLeaves() {
        ClientInfo bob = new ClientInfo("c2", "bob", "t", "1");
        broker.addPresence("room", options, alice);
        broker.addPresence("room", options, bob);
        broker.addPresence("room", options, bob); // again: no second join
        assertThat(broker.presence("room").toCompletableFuture().join()).containsExactly(alice, bob);
        broker.removePresence("room", options, alice);
        broker.removePresence("room", options, alice);
        assertThat(broker.presence("room").toCompletableFuture().join()).containsExactly(bob);
        assertThat(presenceEvents).containsExactly("join room c1", "join room c2", "leave room c1");
    }
}
