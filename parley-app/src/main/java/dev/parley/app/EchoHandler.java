package dev.parley.app;

import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketSession;
import java.nio.ByteBuffer;

/** {@code /echo}: every text and binary message goes back unchanged. */
final class EchoHandler implements WebSocketHandler {
    @Override
    public void onText(WebSocketSession session, String text) {
        session.send(text);
    }

    @Override
    public void onBinary(WebSocketSession session, ByteBuffer data) {
        session.send(data);
    }
}
