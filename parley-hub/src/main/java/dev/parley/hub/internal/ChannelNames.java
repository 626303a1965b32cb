package dev.parley.hub.internal;

import dev.parley.hub.ErrorCode;

/** What a channel name may be, and its namespace (the part before the first ':'). */
public final class ChannelNames {
    public static final int MAX_LENGTH = 255;

    private ChannelNames() {}

    public static void check(String channel, long id) throws CommandException {
        if (channel.isEmpty() || channel.length() > MAX_LENGTH) {
            throw new CommandException(
                    ErrorCode.INVALID_CHANNEL, id, "a channel name has 1 to " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < channel.length(); i++) {
            char c = channel.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '-'
                    || c == ':'
                    || c == '.'
                    || c == '@'
                    || c == '='
                    || c == '/';
            if (!ok) {
                throw new CommandException(
                        ErrorCode.INVALID_CHANNEL,
                        id,
                        "channel name has a character outside A-Za-z0-9_-:.@=/ at index " + i);
            }
        }
    }

    /** The namespace, or "" for the default namespace. */
    public static String namespace(String channel) {
        int colon = channel.indexOf(':');
        return colon < 0 ? "" : channel.substring(0, colon);
    }
}
