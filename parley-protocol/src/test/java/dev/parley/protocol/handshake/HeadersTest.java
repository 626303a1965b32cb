package dev.parley.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeadersTest {

    @Test
    void namesAreCaseInsensitiveAndKeptAsSpelled() {
        Headers h = new Headers().add("Content-Type", "a").add("X-A", "1").add("content-type", "b");

        assertThat(h.first("CONTENT-TYPE")).isEqualTo("a");
        assertThat(h.all("Content-type")).containsExactly("a", "b");
        assertThat(h.count("content-TYPE")).isEqualTo(2);
        assertThat(h.names()).containsExactly("Content-Type", "X-A");
        assertThat(h.first("missing")).isNull();
        assertThat(h.all("missing")).isEmpty();
    }

    @Test
    void listElementsCombineLinesTrimOwsAndDropEmptyElements() {
        // RFC 9110 §5.6.1: recipients ignore empty list elements; §5.3: lines combine as one list.
        Headers h = new Headers().add("Connection", "keep-alive, ,Upgrade\t").add("Connection", " , close");

        assertThat(h.listElements("connection")).containsExactly("keep-alive", "Upgrade", "close");
        assertThat(h.containsElement("Connection", "upgrade")).isTrue();
        assertThat(h.containsElement("Connection", "upgrad")).isFalse();
    }

    @Test
    void refusesHeaderInjection() {
        assertThatThrownBy(() -> new Headers().add("X", "a\r\nSet-Cookie: b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Headers().add("X Y", "a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Headers().add("X", "\u20ac")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readOnlyCopyCannotBeChanged() {
        Headers h = new Headers().add("A", "1");
        Headers copy = h.readOnlyCopy();
        h.add("B", "2");

        assertThat(copy.size()).isEqualTo(1);
        assertThatThrownBy(() -> copy.add("C", "3")).isInstanceOf(IllegalStateException.class);
        assertThat(copy.readOnlyCopy()).isSameAs(copy);
    }

    @Test
    void rendersInWireSyntax() {
        assertThat(new Headers().add("A", "1").add("B", "").toString()).isEqualTo("A: 1\r\nB: \r\n");
    }

    @Test
    void readOnlyCopyAnswersLikeTheOriginal() {
        Headers h = new Headers()
                .add("Host", "example.com")
                .add("Connection", "keep-alive, Upgrade")
                .add("X-Empty", "")
                .add("host", "other")
                .add("X-Latin", "caf\u00e9")
                .add("Connection", "close");
        Headers copy = h.readOnlyCopy();

        assertThat(copy.size()).isEqualTo(h.size());
        for (int i = 0; i < h.size(); i++) {
            assertThat(copy.name(i)).isEqualTo(h.name(i));
            assertThat(copy.value(i)).isEqualTo(h.value(i));
        }
        assertThat(copy).isEqualTo(h).hasSameHashCodeAs(h);
        assertThat(copy.toString()).isEqualTo(h.toString());
        assertThat(copy.first("HOST")).isEqualTo("example.com");
        assertThat(copy.first("Hos")).isNull();
        assertThat(copy.first("Hostx")).isNull();
        assertThat(copy.count("host")).isEqualTo(2);
        assertThat(copy.all("Host")).containsExactly("example.com", "other");
        assertThat(copy.contains("x-empty")).isTrue();
        assertThat(copy.first("X-Empty")).isEmpty();
        assertThat(copy.first("x-latin")).isEqualTo("caf\u00e9");
        assertThat(copy.names()).containsExactly("Host", "Connection", "X-Empty", "X-Latin");
        assertThat(copy.listElements("connection")).containsExactly("keep-alive", "Upgrade", "close");
        assertThat(copy.containsElement("Connection", "upgrade")).isTrue();
        assertThatThrownBy(() -> copy.name(6)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> copy.value(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(new Headers().readOnlyCopy()).isSameAs(Headers.empty());
        assertThat(Headers.empty().size()).isZero();
        assertThat(Headers.empty().first("A")).isNull();
    }

    @Test
    void withoutLeavesOutTheNamedFieldsWhateverTheirCase() {
        Headers h = new Headers()
                .add("Host", "example.com")
                .add("upgrade", "websocket")
                .add("Cookie", "a=1")
                .add("CONNECTION", "Upgrade")
                .add("Cookie", "b=2");
        String[] spent = {"Connection", "Upgrade"};

        for (Headers source : List.of(h, h.readOnlyCopy())) {
            Headers kept = source.without(spent);
            assertThat(kept.size()).isEqualTo(3);
            assertThat(kept.names()).containsExactly("Host", "Cookie");
            assertThat(kept.all("cookie")).containsExactly("a=1", "b=2");
            assertThat(kept.contains("upgrade")).isFalse();
            assertThat(kept.toString()).isEqualTo("Host: example.com\r\nCookie: a=1\r\nCookie: b=2\r\n");
            assertThatThrownBy(() -> kept.add("X", "1")).isInstanceOf(IllegalStateException.class);
        }
        assertThat(h.size()).isEqualTo(5);
        assertThat(h.without("Host", "Upgrade", "Cookie", "Connection")).isSameAs(Headers.empty());
        Headers readOnly = h.readOnlyCopy();
        assertThat(readOnly.without("X-None")).isSameAs(readOnly);
    }

    @Test
    void fieldsBeyondSixtyFourKibibytesKeepTheirEnds() {
        // The packed form counts ends in two bytes up to 64 KiB, in four beyond.
        String big = "v".repeat(70_000);
        Headers h = new Headers().add("A", "1").add("Big", big).add("Z", "last");
        Headers copy = h.readOnlyCopy();

        assertThat(copy).isEqualTo(h);
        assertThat(copy.first("big")).isEqualTo(big);
        assertThat(copy.first("z")).isEqualTo("last");
        assertThat(copy.without("Big").toString()).isEqualTo("A: 1\r\nZ: last\r\n");
    }
}
