package dev.parley.protocol.deflate;

import dev.parley.protocol.handshake.ExtensionOffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A deliberately naive {@code Sec-WebSocket-Extensions} reader for test tables: commas separate
 * elements, semicolons parameters, and a value in double quotes is unquoted. The real parser lives
 * in the handshake package.
 */
final class Header {
    private Header() {}

    static List<ExtensionOffer> parse(String header) {
        List<ExtensionOffer> offers = new ArrayList<>();
        if (header.isBlank()) {
            return offers;
        }
        for (String element : header.split(",")) {
            String[] parts = element.split(";");
            List<ExtensionOffer.Parameter> params = new ArrayList<>();
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip();
                int eq = p.indexOf('=');
                if (eq < 0) {
                    params.add(new ExtensionOffer.Parameter(p, null));
                } else {
                    String value = p.substring(eq + 1);
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    params.add(new ExtensionOffer.Parameter(p.substring(0, eq), value));
                }
            }
            offers.add(new ExtensionOffer(parts[0].strip(), params));
        }
        return offers;
    }

    static ExtensionOffer parseOne(String element) {
        List<ExtensionOffer> all = parse(element);
        if (all.size() != 1) {
            throw new IllegalArgumentException("not one element: " + element);
        }
        return all.get(0);
    }

    static String render(List<ExtensionOffer> offers) {
        return offers.stream().map(ExtensionOffer::toString).collect(Collectors.joining(", "));
    }
}
