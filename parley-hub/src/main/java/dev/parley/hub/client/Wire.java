package dev.parley.hub.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.parley.hub.ClientInfo;
import dev.parley.hub.Publication;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client's side of the wire: server messages read into maps, lists, strings, longs and
 * booleans, with every {@code data} member kept as its JSON text; commands written as JSON.
 */
final class Wire {
    private static final JsonFactory JSON = new JsonFactory();

    /** A {@code data} value, as JSON text. */
    record Raw(String json) {}

    private Wire() {}

    static Map<String, Object> read(String text) throws IOException {
        try (JsonParser in = JSON.createParser(text)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a server message is a JSON object");
            }
            return object(in);
        }
    }

    private static Map<String, Object> object(JsonParser in) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            in.nextToken();
            out.put(name, name.equals("data") ? new Raw(raw(in)) : value(in));
        }
        return out;
    }

    private static Object value(JsonParser in) throws IOException {
        return switch (in.currentToken()) {
            case START_OBJECT -> object(in);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (in.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(in));
                }
                yield list;
            }
            case VALUE_STRING -> in.getText();
            case VALUE_NUMBER_INT -> in.getLongValue();
            case VALUE_NUMBER_FLOAT -> in.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> null;
        };
    }

    private static String raw(JsonParser in) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(text)) {
            out.copyCurrentStructureExact(in);
        }
        return text.toString();
    }

    /** Throws IllegalArgumentException unless {@code text} is exactly one JSON value. */
    static void requireValue(String text) {
        dev.parley.hub.internal.Json.requireValue(text);
    }

    @FunctionalInterface
    interface Body {
        void write(JsonGenerator out) throws IOException;
    }

    static String command(String type, long id, Body body) {
        StringWriter text = new StringWriter(96);
        try (JsonGenerator out = JSON.createGenerator(text)) {
            out.writeStartObject();
            out.writeStringField("type", type);
            if (id > 0) {
                out.writeNumberField("id", id);
            }
            body.write(out);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    // ---- reading members -----------------------------------------------------------------

    static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof String s ? s : "";
    }

    static long num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Long l ? l : 0;
    }

    static boolean bool(Map<String, Object> m, String key) {
        return Boolean.TRUE.equals(m.get(key));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        List<Map<String, Object>> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> map) {
                    out.add((Map<String, Object>) map);
                }
            }
        }
        return out;
    }

    static ClientInfo info(Map<String, Object> m) {
        if (m.isEmpty()) {
            return null;
        }
        return new ClientInfo(str(m, "client"), str(m, "user"), str(m, "name"), str(m, "version"));
    }

    /** A publication from a {@code pub} message or a list entry, in {@code channel}. */
    static Publication publication(String channel, Map<String, Object> m) {
        Object data = m.get("data");
        String mid = m.get("mid") instanceof String s ? s : null;
        return new Publication(
                channel, num(m, "offset"), data instanceof Raw r ? r.json() : "null", info(obj(m, "info")), mid, 0);
    }
}
