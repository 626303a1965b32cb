package dev.parley.hub.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.parley.hub.ClientInfo;
import dev.parley.hub.Disconnect;
import dev.parley.hub.ErrorCode;
import dev.parley.hub.Publication;
import dev.parley.hub.StreamPosition;
import java.io.IOException;
import java.util.List;

/** The messages the server sends (docs/PROTOCOL.md), written as JSON text. */
public final class Messages {
    public static final String PING = "{\"type\":\"ping\"}";

    private Messages() {}

    /** A subscription's outcome, as the {@code subscribed} reply and the {@code connected} list carry it. */
    public record SubscribeOutcome(
            String channel,
            StreamPosition top,
            boolean recoverable,
            boolean recoveryAsked,
            boolean recovered,
            String reason,
            List<Publication> publications) {}

    /** A subscription asked for in {@code connect} that was refused. */
    public record SubscribeFailure(String channel, ErrorCode code, String message) {}

    public static String pub(Publication p) {
        return Json.object(out -> {
            out.writeStringField("type", "pub");
            out.writeStringField("channel", p.channel());
            publicationFields(out, p);
        });
    }

    public static String presenceEvent(String type, String channel, ClientInfo info) {
        return Json.object(out -> {
            out.writeStringField("type", type);
            out.writeStringField("channel", channel);
            out.writeFieldName("info");
            info(out, info, true);
        });
    }

    public static String connected(
            long id,
            String client,
            String user,
            long pingMillis,
            long pongMillis,
            List<SubscribeOutcome> subs,
            List<SubscribeFailure> failed) {
        return Json.object(out -> {
            out.writeStringField("type", "connected");
            id(out, id);
            out.writeNumberField("version", 1);
            out.writeStringField("client", client);
            out.writeStringField("user", user);
            out.writeNumberField("ping", pingMillis);
            out.writeNumberField("pong", pongMillis);
            if (!subs.isEmpty() || !failed.isEmpty()) {
                out.writeArrayFieldStart("subscriptions");
                for (SubscribeOutcome s : subs) {
                    out.writeStartObject();
                    subscribeFields(out, s);
                    out.writeEndObject();
                }
                for (SubscribeFailure f : failed) {
                    out.writeStartObject();
                    out.writeStringField("channel", f.channel());
                    out.writeFieldName("error");
                    out.writeStartObject();
                    errorFields(out, f.code(), f.message());
                    out.writeEndObject();
                    out.writeEndObject();
                }
                out.writeEndArray();
            }
        });
    }

    public static String subscribed(long id, SubscribeOutcome s) {
        return Json.object(out -> {
            out.writeStringField("type", "subscribed");
            id(out, id);
            subscribeFields(out, s);
        });
    }

    public static String unsubscribed(long id, String channel) {
        return Json.object(out -> {
            out.writeStringField("type", "unsubscribed");
            id(out, id);
            out.writeStringField("channel", channel);
        });
    }

    public static String ack(long id, String channel, String mid, StreamPosition position, boolean duplicate) {
        return Json.object(out -> {
            out.writeStringField("type", "ack");
            id(out, id);
            out.writeStringField("channel", channel);
            if (mid != null) {
                out.writeStringField("mid", mid);
            }
            out.writeNumberField("offset", position.offset());
            out.writeStringField("epoch", position.epoch());
            if (duplicate) {
                out.writeBooleanField("duplicate", true);
            }
        });
    }

    public static String presence(long id, String channel, List<ClientInfo> clients) {
        return Json.object(out -> {
            out.writeStringField("type", "presence");
            id(out, id);
            out.writeStringField("channel", channel);
            out.writeArrayFieldStart("clients");
            for (ClientInfo c : clients) {
                info(out, c, true);
            }
            out.writeEndArray();
        });
    }

    public static String history(long id, String channel, StreamPosition top, List<Publication> publications) {
        return Json.object(out -> {
            out.writeStringField("type", "history");
            id(out, id);
            out.writeStringField("channel", channel);
            out.writeStringField("epoch", top.epoch());
            out.writeNumberField("offset", top.offset());
            publications(out, publications);
        });
    }

    public static String pong(long id) {
        return Json.object(out -> {
            out.writeStringField("type", "pong");
            id(out, id);
        });
    }

    public static String error(long id, ErrorCode code, String message) {
        return Json.object(out -> {
            out.writeStringField("type", "error");
            id(out, id);
            errorFields(out, code, message);
        });
    }

    public static String disconnect(Disconnect d) {
        return Json.object(out -> {
            out.writeStringField("type", "disconnect");
            out.writeNumberField("code", d.code());
            out.writeStringField("reason", d.reason());
            out.writeBooleanField("reconnect", d.reconnect());
            if (d.delayMillis() > 0) {
                out.writeNumberField("delay", d.delayMillis());
            }
        });
    }

    private static void subscribeFields(JsonGenerator out, SubscribeOutcome s) throws IOException {
        out.writeStringField("channel", s.channel());
        out.writeStringField("epoch", s.top().epoch());
        out.writeNumberField("offset", s.top().offset());
        out.writeBooleanField("recoverable", s.recoverable());
        if (s.recoveryAsked()) {
            out.writeBooleanField("recovered", s.recovered());
            if (s.recovered()) {
                publications(out, s.publications());
            } else {
                out.writeStringField("reason", s.reason());
            }
        }
    }

    private static void publications(JsonGenerator out, List<Publication> publications) throws IOException {
        out.writeArrayFieldStart("publications");
        for (Publication p : publications) {
            out.writeStartObject();
            publicationFields(out, p);
            out.writeEndObject();
        }
        out.writeEndArray();
    }

    /** A publication's offset, data, publisher and message id: in a push and in a list alike. */
    private static void publicationFields(JsonGenerator out, Publication p) throws IOException {
        out.writeNumberField("offset", p.offset());
        out.writeFieldName("data");
        out.writeRawValue(p.data());
        if (p.info() != null) {
            out.writeFieldName("info");
            info(out, p.info(), false);
        }
        if (p.mid() != null) {
            out.writeStringField("mid", p.mid());
        }
    }

    private static void errorFields(JsonGenerator out, ErrorCode code, String message) throws IOException {
        out.writeNumberField("code", code.code());
        out.writeStringField("error", code.wireName());
        out.writeStringField("message", message);
    }

    private static void info(JsonGenerator out, ClientInfo info, boolean withSoftware) throws IOException {
        out.writeStartObject();
        out.writeStringField("client", info.client());
        out.writeStringField("user", info.user());
        if (withSoftware) {
            out.writeStringField("name", info.name());
            out.writeStringField("version", info.version());
        }
        out.writeEndObject();
    }

    private static void id(JsonGenerator out, long id) throws IOException {
        if (id > 0) {
            out.writeNumberField("id", id);
        }
    }
}
