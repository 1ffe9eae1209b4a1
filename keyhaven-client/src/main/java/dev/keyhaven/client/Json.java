package dev.keyhaven.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON helpers. {@link Databind#MAPPER} is built on first use only: the start-up path of the
 * CLI ({@code keyhaven run}) reads its JSON with {@link #parse}, on Jackson's streaming parser,
 * which loads a small fraction of the classes databind needs.
 */
public final class Json {
    private Json() {}

    /** The databind mapper, for the commands that are not start-up critical; built on first use. */
    public static final class Databind {
        private Databind() {}

        public static final JsonMapper MAPPER = JsonMapper.builder().build();
    }

    private static final class Streaming {
        static final JsonFactory FACTORY = new JsonFactory();
    }

    /**
     * Parses JSON text into plain Java values: {@code Map<String, Object>} (in order), {@code List<Object>},
     * {@code String}, {@code Long}/{@code Double}, {@code Boolean} or {@code null}.
     */
    public static Object parse(String text) {
        try (JsonParser p = Streaming.FACTORY.createParser(ObjectReadContext.empty(), text)) {
            JsonToken t = p.nextToken();
            return t == null ? null : value(p, t);
        }
    }

    private static Object value(JsonParser p, JsonToken t) {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken n = p.nextToken(); n == JsonToken.PROPERTY_NAME; n = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
                    l.add(value(p, n));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getString();
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                return null;
        }
    }

    /** {@code m.get(key)} as a string ("" default), numbers and booleans as their text. */
    public static String str(Object m, String key, String dflt) {
        Object v = m instanceof Map<?, ?> map ? map.get(key) : null;
        return v == null || v instanceof Map || v instanceof List ? dflt : v.toString();
    }

    public static long num(Object m, String key, long dflt) {
        Object v = m instanceof Map<?, ?> map ? map.get(key) : null;
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
        return dflt;
    }

    /** {@code m.get(key)} as a list (empty when missing). */
    public static List<?> list(Object m, String key) {
        Object v = m instanceof Map<?, ?> map ? map.get(key) : null;
        return v instanceof List<?> l ? l : List.of();
    }

    /** Writes a JSON string literal (with quotes) without databind. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
