package dev.parley.hub.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.parley.hub.ErrorCode;
import dev.parley.hub.StreamPosition;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one client command. Unknown members are skipped; a missing or mistyped required member is
 * {@link ErrorCode#BAD_REQUEST}; an unknown {@code type} is {@link ErrorCode#UNKNOWN_COMMAND}. The
 * {@code data} member is kept as JSON text, re-serialised compactly, so that it travels unchanged in
 * meaning and is never parsed again.
 */
public final class CommandReader {
    /** At most this many subscriptions in one connect. */
    private static final int MAX_CONNECT_SUBSCRIPTIONS = 1024;

    private CommandReader() {}

    /** The fields a command can carry, gathered before the command is built. */
    private static final class Fields {
        String type;
        long id;
        int version = 1;
        String token;
        String clientName;
        String clientVersion;
        String channel;
        String mid;
        String data;
        StreamPosition recover;
        StreamPosition since;
        int limit = -1;
        List<Command.Subscribe> subscriptions = List.of();
    }

    public static Command read(String text) throws CommandException {
        Fields f = new Fields();
        try (JsonParser in = Json.FACTORY.createParser(text)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw new CommandException(ErrorCode.BAD_REQUEST, 0, "a command is a JSON object");
            }
            readMembers(in, f);
            if (in.nextToken() != null) {
                throw new CommandException(ErrorCode.BAD_REQUEST, f.id, "text after the command's object");
            }
        } catch (JsonProcessingException e) {
            throw new CommandException(ErrorCode.BAD_REQUEST, f.id, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String source does not fail
        }
        return build(f);
    }

    /**
     * The {@code id} of a command too large to handle, so that the error can answer it: a scan of
     * the top-level members that skips every value. 0 when there is none or the text is not JSON.
     */
    public static long peekId(String text) {
        try (JsonParser in = Json.FACTORY.createParser(text)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                return 0;
            }
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String name = in.currentName();
                JsonToken value = in.nextToken();
                if ("id".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
                    return Math.max(0, in.getLongValue());
                }
                in.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static void readMembers(JsonParser in, Fields f) throws IOException, CommandException {
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            JsonToken value = in.nextToken();
            switch (name) {
                case "type" -> f.type = string(in, value, f, name);
                case "id" -> f.id = positiveLong(in, value, f, name);
                case "version" -> f.version = (int) Math.min(Integer.MAX_VALUE, positiveLong(in, value, f, name));
                case "token" -> f.token = string(in, value, f, name);
                case "channel" -> f.channel = string(in, value, f, name);
                case "mid" -> f.mid = string(in, value, f, name);
                case "limit" -> f.limit = (int) Math.min(Integer.MAX_VALUE, positiveLong(in, value, f, name));
                case "data" -> f.data = raw(in);
                case "recover" -> f.recover = position(in, value, f, name);
                case "since" -> f.since = position(in, value, f, name);
                case "client" -> readClient(in, value, f);
                case "subscriptions" -> f.subscriptions = subscriptions(in, value, f);
                default -> in.skipChildren();
            }
        }
    }

    private static Command build(Fields f) throws CommandException {
        if (f.type == null) {
            throw new CommandException(ErrorCode.BAD_REQUEST, f.id, "the command has no type");
        }
        return switch (f.type) {
            case "connect" ->
                new Command.Connect(f.id, f.version, f.token, f.clientName, f.clientVersion, f.subscriptions);
            case "subscribe" -> new Command.Subscribe(f.id, required(f.channel, f, "channel"), f.recover);
            case "unsubscribe" -> new Command.Unsubscribe(f.id, required(f.channel, f, "channel"));
            case "publish" ->
                new Command.Publish(f.id, required(f.channel, f, "channel"), required(f.data, f, "data"), f.mid);
            case "presence" -> new Command.Presence(f.id, required(f.channel, f, "channel"));
            case "history" -> new Command.History(f.id, required(f.channel, f, "channel"), f.since, f.limit);
            case "ping" -> new Command.Ping(f.id);
            case "pong" -> new Command.Pong(f.id);
            default ->
                throw new CommandException(ErrorCode.UNKNOWN_COMMAND, f.id, "unknown command type " + quote(f.type));
        };
    }

    private static <T> T required(T value, Fields f, String name) throws CommandException {
        if (value == null) {
            throw new CommandException(ErrorCode.BAD_REQUEST, f.id, f.type + " needs " + name);
        }
        return value;
    }

    private static String string(JsonParser in, JsonToken value, Fields f, String name)
            throws IOException, CommandException {
        if (value != JsonToken.VALUE_STRING) {
            in.skipChildren();
            throw new CommandException(ErrorCode.BAD_REQUEST, f.id, name + " must be a string");
        }
        return in.getText();
    }

    private static long positiveLong(JsonParser in, JsonToken value, Fields f, String name)
            throws IOException, CommandException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            in.skipChildren();
            throw new CommandException(ErrorCode.BAD_REQUEST, f.id, name + " must be an integer");
        }
        if (in.getNumberType() == JsonParser.NumberType.BIG_INTEGER || in.getLongValue() < 0) {
            throw new CommandException(ErrorCode.BAD_REQUEST, f.id, name + " must be between 0 and 2^63-1");
        }
        return in.getLongValue();
    }

    private static StreamPosition position(JsonParser in, JsonToken value, Fields f, String name)
            throws IOException, CommandException {
        if (value != JsonToken.START_OBJECT) {
            in.skipChildren();
            throw new CommandException(ErrorCode.BAD_REQUEST, f.id, name + " must be an object with offset and epoch");
        }
        long offset = -1;
        String epoch = null;
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String member = in.currentName();
            JsonToken v = in.nextToken();
            if ("offset".equals(member)) {
                offset = positiveLong(in, v, f, name + ".offset");
            } else if ("epoch".equals(member)) {
                epoch = string(in, v, f, name + ".epoch");
            } else {
                in.skipChildren();
            }
        }
        if (offset < 0 || epoch == null) {
            throw new CommandException(ErrorCode.BAD_REQUEST, f.id, name + " needs offset and epoch");
        }
        return new StreamPosition(offset, epoch);
    }

    private static void readClient(JsonParser in, JsonToken value, Fields f) throws IOException, CommandException {
        if (value != JsonToken.START_OBJECT) {
            in.skipChildren();
            throw new CommandException(ErrorCode.BAD_REQUEST, f.id, "client must be an object");
        }
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String member = in.currentName();
            JsonToken v = in.nextToken();
            if ("name".equals(member)) {
                f.clientName = string(in, v, f, "client.name");
            } else if ("version".equals(member)) {
                f.clientVersion = string(in, v, f, "client.version");
            } else {
                in.skipChildren();
            }
        }
    }

    private static List<Command.Subscribe> subscriptions(JsonParser in, JsonToken value, Fields f)
            throws IOException, CommandException {
        if (value != JsonToken.START_ARRAY) {
            in.skipChildren();
            throw new CommandException(ErrorCode.BAD_REQUEST, f.id, "subscriptions must be an array");
        }
        List<Command.Subscribe> list = new ArrayList<>();
        while (in.nextToken() == JsonToken.START_OBJECT) {
            if (list.size() == MAX_CONNECT_SUBSCRIPTIONS) {
                throw new CommandException(
                        ErrorCode.LIMIT_EXCEEDED, f.id, "more than " + MAX_CONNECT_SUBSCRIPTIONS + " subscriptions");
            }
            String channel = null;
            long offset = -1;
            String epoch = null;
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String member = in.currentName();
                JsonToken v = in.nextToken();
                switch (member) {
                    case "channel" -> channel = string(in, v, f, "subscriptions[].channel");
                    case "offset" -> offset = positiveLong(in, v, f, "subscriptions[].offset");
                    case "epoch" -> epoch = string(in, v, f, "subscriptions[].epoch");
                    default -> in.skipChildren();
                }
            }
            if (channel == null) {
                throw new CommandException(ErrorCode.BAD_REQUEST, f.id, "a subscription needs a channel");
            }
            StreamPosition recover = offset >= 0 && epoch != null ? new StreamPosition(offset, epoch) : null;
            list.add(new Command.Subscribe(0, channel, recover));
        }
        if (in.currentToken() != JsonToken.END_ARRAY) {
            throw new CommandException(ErrorCode.BAD_REQUEST, f.id, "subscriptions must hold objects");
        }
        return List.copyOf(list);
    }

    /** The current value, whatever it is, as compact JSON text. */
    private static String raw(JsonParser in) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = Json.FACTORY.createGenerator(text)) {
            out.copyCurrentStructureExact(in); // numbers keep their exact text
        }
        return text.toString();
    }

    private static String quote(String s) {
        return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
    }
}
