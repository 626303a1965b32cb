package dev.parley.protocol.handshake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The header fields of an HTTP message, in the order received or added: names are compared without
 * regard to case (RFC 9110 §5.1) and kept as spelled; a name may occur several times.
 *
 * <p>A collection is mutable until {@link #readOnlyCopy()} is taken; {@link HttpRequest} and
 * {@link HttpResponse} hold read-only copies, so a parsed message cannot be changed behind its
 * back. Not thread-safe while mutable; a read-only copy may be shared freely.
 *
 * <p>{@link #add} checks that a name is a token and that a value holds no control character, so a
 * collection can always be written to the wire without header injection (CR or LF in a value).
 */
public final class Headers {
    private static final int[] NO_ENDS = new int[0];
    private static final Headers EMPTY = new Headers("", NO_ENDS);

    /** The fields while mutable; {@code null} once read-only. */
    private final List<String> names;

    private final List<String> values;
    /**
     * The fields of a read-only collection, packed to keep a long-lived one (a session's handshake
     * headers) small: every name and value back to back in one string, which stays one byte per
     * character since values hold nothing above U+00FF. {@code ends[2i]} is where name i ends,
     * {@code ends[2i + 1]} where its value ends. Strings are made when asked for.
     */
    private final String packed;

    private final int[] ends;

    /** An empty, mutable collection. */
    public Headers() {
        this.names = new ArrayList<>();
        this.values = new ArrayList<>();
        this.packed = null;
        this.ends = null;
    }

    private Headers(String packed, int[] ends) {
        this.names = null;
        this.values = null;
        this.packed = packed;
        this.ends = ends;
    }

    /**
     * A read-only collection from fields already packed by {@link HttpHeadParser}: {@code count}
     * fields, their names and values back to back in the first {@code length} bytes of {@code
     * latin1}, {@code ends} laid out as for the {@code packed} field above. Neither array is kept.
     */
    static Headers packed(byte[] latin1, int length, int[] ends, int count) {
        if (count == 0) {
            return EMPTY;
        }
        return new Headers(new String(latin1, 0, length, StandardCharsets.ISO_8859_1), Arrays.copyOf(ends, 2 * count));
    }

    /** An empty, read-only collection. */
    public static Headers empty() {
        return EMPTY;
    }

    /**
     * Appends a field; the value is kept as given, so trim optional whitespace before calling.
     *
     * @return this collection
     * @throws IllegalArgumentException if the name is not a token or the value holds a control
     *     character or a character above U+00FF
     * @throws IllegalStateException if this collection is read-only
     */
    public Headers add(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (names == null) {
            throw new IllegalStateException("headers are read-only");
        }
        if (!HttpChars.isToken(name)) {
            throw new IllegalArgumentException("header name is not a token: " + HttpChars.quote(name));
        }
        for (int i = 0; i < value.length(); i++) {
            if (!HttpChars.isFieldValueChar(value.charAt(i))) {
                throw new IllegalArgumentException(
                        "header " + name + " has a forbidden character in its value: " + HttpChars.quote(value));
            }
        }
        names.add(name);
        values.add(value);
        return this;
    }

    /** Appends every field of {@code other}, in order. */
    public Headers addAll(Headers other) {
        for (int i = 0; i < other.size(); i++) {
            add(other.name(i), other.value(i));
        }
        return this;
    }

    /** A read-only copy; this collection itself when it is already read-only. */
    public Headers readOnlyCopy() {
        if (names == null) {
            return this;
        }
        int n = names.size();
        if (n == 0) {
            return EMPTY;
        }
        StringBuilder out = new StringBuilder();
        int[] e = new int[2 * n];
        for (int i = 0; i < n; i++) {
            e[2 * i] = out.append(names.get(i)).length();
            e[2 * i + 1] = out.append(values.get(i)).length();
        }
        return new Headers(out.toString(), e);
    }

    /** The number of fields, repeated names counted each time. */
    public int size() {
        return names != null ? names.size() : ends.length / 2;
    }

    /** The name of the field at {@code index}, as spelled. */
    public String name(int index) {
        if (names != null) {
            return names.get(index);
        }
        Objects.checkIndex(index, ends.length / 2);
        return packed.substring(index == 0 ? 0 : ends[2 * index - 1], ends[2 * index]);
    }

    /** The value of the field at {@code index}. */
    public String value(int index) {
        if (values != null) {
            return values.get(index);
        }
        Objects.checkIndex(index, ends.length / 2);
        return packed.substring(ends[2 * index], ends[2 * index + 1]);
    }

    /** Whether the field at {@code index} is named {@code name}, without regard to case. */
    private boolean nameIs(int index, String name) {
        if (names != null) {
            return names.get(index).equalsIgnoreCase(name);
        }
        int start = index == 0 ? 0 : ends[2 * index - 1];
        return ends[2 * index] - start == name.length() && packed.regionMatches(true, start, name, 0, name.length());
    }

    /** Whether a field named {@code name} occurs. */
    public boolean contains(String name) {
        return count(name) > 0;
    }

    /** How many fields are named {@code name}. */
    public int count(String name) {
        int count = 0;
        for (int i = 0; i < size(); i++) {
            if (nameIs(i, name)) {
                count++;
            }
        }
        return count;
    }

    /** The value of the first field named {@code name}, or {@code null} when there is none. */
    public String first(String name) {
        for (int i = 0; i < size(); i++) {
            if (nameIs(i, name)) {
                return value(i);
            }
        }
        return null;
    }

    /** The values of every field named {@code name}, in order; empty when there is none. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < size(); i++) {
            if (nameIs(i, name)) {
                out.add(value(i));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The distinct names, in order of first occurrence, each as first spelled. */
    public Set<String> names() {
        Map<String, String> distinct = new LinkedHashMap<>();
        for (int i = 0; i < size(); i++) {
            String n = name(i);
            distinct.putIfAbsent(n.toLowerCase(Locale.ROOT), n);
        }
        return Collections.unmodifiableSet(new LinkedHashSet<>(distinct.values()));
    }

    /**
     * The elements of a comma-separated list field (RFC 9110 §5.6.1), across every field named
     * {@code name} (§5.3: several field lines combine as one list), with optional whitespace
     * trimmed and empty elements dropped, as recipients must. Elements are kept as sent. Meant for
     * lists of tokens (Connection, Upgrade, Sec-WebSocket-Protocol): a comma inside a quoted string
     * splits it too; use {@link ExtensionHeaderParser} for Sec-WebSocket-Extensions.
     */
    public List<String> listElements(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < size(); i++) {
            if (!nameIs(i, name)) {
                continue;
            }
            String value = value(i);
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                String element = trimOws(value, start, end);
                if (!element.isEmpty()) {
                    out.add(element);
                }
                start = end + 1;
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Whether the list field {@code name} holds {@code element}, compared without regard to case:
     * {@code Connection: keep-alive, Upgrade} holds {@code upgrade}.
     */
    public boolean containsElement(String name, String element) {
        for (String e : listElements(name)) {
            if (e.equalsIgnoreCase(element)) {
                return true;
            }
        }
        return false;
    }

    static String trimOws(String s, int start, int end) {
        while (start < end && HttpChars.isOws(s.charAt(start))) {
            start++;
        }
        while (end > start && HttpChars.isOws(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Writes each field as {@code name: value CRLF}. */
    void writeTo(StringBuilder out) {
        for (int i = 0; i < size(); i++) {
            out.append(name(i)).append(": ").append(value(i)).append("\r\n");
        }
    }

    /** Equal when both hold the same fields in the same order, names compared without regard to case. */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Headers that) || that.size() != size()) {
            return false;
        }
        for (int i = 0; i < size(); i++) {
            if (!name(i).equalsIgnoreCase(that.name(i)) || !value(i).equals(that.value(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = 0; i < size(); i++) {
            hash = 31 * hash + name(i).toLowerCase(Locale.ROOT).hashCode();
            hash = 31 * hash + value(i).hashCode();
        }
        return hash;
    }

    /** The fields in wire syntax, one per line. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        writeTo(out);
        return out.toString();
    }
}
