package dev.parley.protocol.handshake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    private static final Headers EMPTY = new Headers(new byte[] {2, 0, 0});

    /**
     * The fields: while mutable, a {@code List<String>} of name and value in turn; once read-only,
     * a {@code byte[]} packed to keep a long-lived collection (a session's handshake headers)
     * small. One field rather than one per form saves a reference in every session. Byte 0 of the
     * packed form is the width {@code w} (2, or 4 when the fields exceed 64 KiB) of the numbers
     * that follow, each big-endian: the number of fields {@code n}, then {@code 2n} ends, then
     * every name and value back to back, one byte per character (values hold nothing above
     * U+00FF). End {@code 2i} is where name i ends, end {@code 2i + 1} where its value ends, both
     * counted from the start of the characters. Strings are made when asked for.
     */
    private final Object store;

    /** An empty, mutable collection. */
    public Headers() {
        this.store = new ArrayList<String>();
    }

    private Headers(byte[] packed) {
        this.store = packed;
    }

    /** The mutable form, or null once read-only. */
    @SuppressWarnings("unchecked")
    private List<String> fields() {
        return store instanceof List<?> ? (List<String>) store : null;
    }

    /** The packed form, or null while mutable. */
    private byte[] packed() {
        return store instanceof byte[] p ? p : null;
    }

    /**
     * A read-only collection from fields gathered by {@link HttpHeadParser}: {@code count} fields,
     * their names and values back to back in the first {@code length} bytes of {@code latin1},
     * {@code ends[2i]} where name i ends and {@code ends[2i + 1]} where its value ends. Neither array
     * is kept.
     */
    static Headers packed(byte[] latin1, int length, int[] ends, int count) {
        if (count == 0) {
            return EMPTY;
        }
        byte[] out = allocate(count, length);
        int at = 1 + width(out) * (1 + 2 * count);
        for (int k = 0; k < 2 * count; k++) {
            putEnd(out, k, ends[k]);
        }
        System.arraycopy(latin1, 0, out, at, length);
        return new Headers(out);
    }

    /** An array for {@code count} fields of {@code length} characters, its width and count set. */
    private static byte[] allocate(int count, int length) {
        int w = length <= 0xFFFF && count <= 0xFFFF ? 2 : 4;
        byte[] out = new byte[1 + w * (1 + 2 * count) + length];
        out[0] = (byte) w;
        put(out, 1, w, count);
        return out;
    }

    private static int width(byte[] p) {
        return p[0];
    }

    private static void put(byte[] p, int at, int w, int v) {
        for (int i = w - 1; i >= 0; i--) {
            p[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static int get(byte[] p, int at, int w) {
        if (w == 2) {
            return (p[at] & 0xFF) << 8 | (p[at + 1] & 0xFF);
        }
        int v = 0;
        for (int i = 0; i < w; i++) {
            v = v << 8 | (p[at + i] & 0xFF);
        }
        return v;
    }

    private static void putEnd(byte[] p, int k, int end) {
        int w = width(p);
        put(p, 1 + w * (1 + k), w, end);
    }

    /** End {@code k} of a packed collection. */
    private int end(int k) {
        byte[] p = (byte[]) store;
        int w = width(p);
        return get(p, 1 + w * (1 + k), w);
    }

    /** Where the characters of a packed collection start. */
    private int chars() {
        byte[] p = (byte[]) store;
        int w = width(p);
        return 1 + w * (1 + 2 * get(p, 1, w));
    }

    /** Where field {@code index} starts, counted from the start of the characters. */
    private int fieldStart(int index) {
        return index == 0 ? 0 : end(2 * index - 1);
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
        List<String> fields = fields();
        if (fields == null) {
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
        fields.add(name);
        fields.add(value);
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
        return fields() == null ? this : copyOf(this, null);
    }

    /**
     * A read-only copy without the fields named (without regard to case) in {@code names}: what a
     * server keeps of a request once the fields that only served the upgrade are spent.
     */
    public Headers without(String... names) {
        return copyOf(this, Objects.requireNonNull(names, "names"));
    }

    /** A packed copy of {@code source}, leaving out the fields named in {@code drop} (if any). */
    private static Headers copyOf(Headers source, String[] drop) {
        List<String> fields = source.fields();
        return fields != null ? packLists(fields, drop) : source.packedWithout(drop);
    }

    /** The mutable fields {@code f} packed, leaving out those named in {@code drop} (if any). */
    private static Headers packLists(List<String> f, String[] drop) {
        int count = 0;
        int length = 0;
        for (int i = 0; i < f.size(); i += 2) {
            if (drop == null || !inIgnoringCase(f.get(i), drop)) {
                count++;
                length += f.get(i).length() + f.get(i + 1).length();
            }
        }
        if (count == 0) {
            return EMPTY;
        }
        byte[] out = allocate(count, length);
        int at = 1 + width(out) * (1 + 2 * count);
        int end = 0;
        int k = 0;
        for (int i = 0; i < f.size(); i += 2) {
            if (drop != null && inIgnoringCase(f.get(i), drop)) {
                continue;
            }
            for (int part = i; part <= i + 1; part++) {
                String text = f.get(part);
                for (int c = 0; c < text.length(); c++) {
                    out[at + end + c] = (byte) text.charAt(c); // add() let nothing above U+00FF in
                }
                end += text.length();
                putEnd(out, k++, end);
            }
        }
        return new Headers(out);
    }

    private static boolean inIgnoringCase(String name, String[] names) {
        for (String n : names) {
            if (n.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * This packed collection without the fields named in {@code drop}: this one when none is, each
     * kept field copied as it is otherwise. On a server's handshake path, so it reads each end
     * once.
     */
    private Headers packedWithout(String[] drop) {
        byte[] p = packed();
        int w = width(p);
        int n = get(p, 1, w);
        int base = 1 + w * (1 + 2 * n);
        boolean[] gone = null;
        int dropped = 0;
        int droppedChars = 0;
        int start = 0;
        for (int i = 0; i < n; i++) {
            int nameEnd = get(p, 1 + w * (1 + 2 * i), w);
            int valueEnd = get(p, 1 + w * (2 + 2 * i), w);
            if (nameAmong(p, base + start, nameEnd - start, drop)) {
                if (gone == null) {
                    gone = new boolean[n];
                }
                gone[i] = true;
                dropped++;
                droppedChars += valueEnd - start;
            }
            start = valueEnd;
        }
        if (gone == null) {
            return this;
        }
        if (dropped == n) {
            return EMPTY;
        }
        int count = n - dropped;
        byte[] out = allocate(count, start - droppedChars);
        int ow = width(out);
        int at = 1 + ow * (1 + 2 * count);
        int end = 0;
        int k = 0;
        start = 0;
        for (int i = 0; i < n; i++) {
            int nameEnd = get(p, 1 + w * (1 + 2 * i), w);
            int valueEnd = get(p, 1 + w * (2 + 2 * i), w);
            if (!gone[i]) {
                System.arraycopy(p, base + start, out, at + end, valueEnd - start);
                put(out, 1 + ow * (1 + k++), ow, end + nameEnd - start);
                end += valueEnd - start;
                put(out, 1 + ow * (1 + k++), ow, end);
            }
            start = valueEnd;
        }
        return new Headers(out);
    }

    /** Whether the {@code length} bytes at {@code at} spell one of {@code names}, without regard to case. */
    private static boolean nameAmong(byte[] p, int at, int length, String[] names) {
        for (String name : names) {
            if (spells(p, at, length, name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the {@code length} bytes at {@code at} spell {@code name}, without regard to case. */
    private static boolean spells(byte[] p, int at, int length, String name) {
        if (length != name.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char a = (char) (p[at + i] & 0xFF);
            char b = name.charAt(i);
            if (a != b && asciiLower(a) != asciiLower(b)) {
                return false;
            }
        }
        return true;
    }

    /** The number of fields, repeated names counted each time. */
    public int size() {
        List<String> fields = fields();
        byte[] packed = packed();
        return fields != null ? fields.size() / 2 : get(packed, 1, width(packed));
    }

    /** The name of the field at {@code index}, as spelled. */
    public String name(int index) {
        Objects.checkIndex(index, size());
        List<String> fields = fields();
        if (fields != null) {
            return fields.get(2 * index);
        }
        int start = fieldStart(index);
        return new String(packed(), chars() + start, end(2 * index) - start, StandardCharsets.ISO_8859_1);
    }

    /** The value of the field at {@code index}. */
    public String value(int index) {
        Objects.checkIndex(index, size());
        List<String> fields = fields();
        if (fields != null) {
            return fields.get(2 * index + 1);
        }
        int start = end(2 * index);
        return new String(packed(), chars() + start, end(2 * index + 1) - start, StandardCharsets.ISO_8859_1);
    }

    /** Whether the field at {@code index} is named {@code name}, without regard to case. */
    private boolean nameIs(int index, String name) {
        List<String> fields = fields();
        if (fields != null) {
            return fields.get(2 * index).equalsIgnoreCase(name);
        }
        int start = fieldStart(index);
        return spells(packed(), chars() + start, end(2 * index) - start, name);
    }

    /** Names are tokens, so ASCII: other characters never match a token anyway. */
    private static char asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
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
