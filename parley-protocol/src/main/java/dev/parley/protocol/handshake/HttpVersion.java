package dev.parley.protocol.handshake;

/**
 * An HTTP version as written in a start line, {@code HTTP/major.minor} (RFC 9112 §2.3). Immutable.
 *
 * @param major the major version, 0-9
 * @param minor the minor version, 0-9
 */
public record HttpVersion(int major, int minor) implements Comparable<HttpVersion> {
    /** HTTP/1.0. */
    public static final HttpVersion HTTP_1_0 = new HttpVersion(1, 0);
    /** HTTP/1.1. */
    public static final HttpVersion HTTP_1_1 = new HttpVersion(1, 1);

    /** Checks that both numbers are single digits, as the grammar requires. */
    public HttpVersion {
        if (major < 0 || major > 9 || minor < 0 || minor > 9) {
            throw new IllegalArgumentException("HTTP version numbers are single digits: " + major + "." + minor);
        }
    }

    /** Whether this version is {@code other} or later. */
    public boolean isAtLeast(HttpVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(HttpVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    /** The version as written on the wire, for example {@code HTTP/1.1}. */
    @Override
    public String toString() {
        return "HTTP/" + major + "." + minor;
    }
}
