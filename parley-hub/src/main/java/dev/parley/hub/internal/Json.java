package dev.parley.hub.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** The one JSON factory of the hub's server side, and a way to write a message to a string. */
public final class Json {
    /** Nesting is bounded well below Jackson's default: hub commands are shallow. */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private Json() {}

    /** What writes one message's members. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator out) throws IOException;
    }

    /** Throws IllegalArgumentException unless {@code text} is exactly one JSON value. */
    public static void requireValue(String text) {
        try (com.fasterxml.jackson.core.JsonParser in = FACTORY.createParser(text)) {
            if (in.nextToken() == null) {
                throw new IllegalArgumentException("data is empty; it must be one JSON value");
            }
            in.skipChildren();
            if (in.nextToken() != null) {
                throw new IllegalArgumentException("data holds more than one JSON value");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("data is not JSON: " + e.getMessage(), e);
        }
    }

    /** One JSON object, written by {@code body}, as text. */
    public static String object(Body body) {
        StringWriter text = new StringWriter(128);
        try (JsonGenerator out = FACTORY.createGenerator(text)) {
            out.writeStartObject();
            body.write(out);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }
}
