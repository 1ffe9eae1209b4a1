package dev.keyhaven.server.platform.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An {@code application/x-www-form-urlencoded} body read as the JSON object the same request
 * would send, so every route that takes JSON takes a form too (Infisical accepts both, and its
 * SDKs send some logins as forms). Values stay strings; a repeated name or {@code name[]} makes
 * an array; {@code a[b]=1} and {@code a[0][b]=1} nest as the {@code qs} parser would, up to
 * {@link #MAX_DEPTH} levels.
 */
final class FormBody {
    static final int MAX_DEPTH = 5;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FormBody() {}

    static boolean isForm(String contentType) {
        return contentType != null && contentType.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33);
    }

    /** The form as JSON bytes; a malformed form is a 400 naming what is wrong. */
    static byte[] toJson(byte[] form) {
        ObjectNode root = NODES.objectNode();
        String text = new String(form, StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!name.isEmpty()) {
                put(root, path(name), value, name);
            }
        }
        return MAPPER.writeValueAsBytes(root);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("The form body has a bad %-escape");
        }
    }

    /** {@code a[b][]} → {@code [a, b, ""]}; a name whose brackets do not pair up is taken literally. */
    private static List<String> path(String name) {
        int open = name.indexOf('[');
        if (open <= 0 || !name.endsWith("]")) {
            return List.of(name);
        }
        List<String> parts = new ArrayList<>();
        parts.add(name.substring(0, open));
        int i = open;
        while (i < name.length()) {
            int close = name.indexOf(']', i);
            if (name.charAt(i) != '[' || close < 0) {
                return List.of(name);
            }
            parts.add(name.substring(i + 1, close));
            i = close + 1;
        }
        if (parts.size() > MAX_DEPTH + 1) {
            throw ApiException.badRequest(
                    "The form field " + clip(name) + " nests deeper than " + MAX_DEPTH + " levels");
        }
        return parts;
    }

    private static void put(ObjectNode root, List<String> path, String value, String name) {
        JsonNode container = root;
        for (int i = 0; i < path.size() - 1; i++) {
            container = child(container, path.get(i), isIndex(path.get(i + 1)), name);
        }
        String last = path.get(path.size() - 1);
        if (container instanceof ArrayNode array) {
            array.add(value);
        } else {
            ObjectNode object = (ObjectNode) container;
            JsonNode existing = object.get(last);
            if (existing == null) {
                object.put(last, value);
            } else if (existing instanceof ArrayNode array) {
                array.add(value);
            } else if (existing.isString()) {
                object.set(last, NODES.arrayNode().add(existing).add(value));
            } else {
                throw conflict(name);
            }
        }
    }

    /** The array or object under {@code key}, made when missing. */
    private static JsonNode child(JsonNode container, String key, boolean wantArray, String name) {
        JsonNode made = wantArray ? NODES.arrayNode() : NODES.objectNode();
        if (container instanceof ArrayNode array) {
            if (!isIndex(key)) {
                throw conflict(name);
            }
            int index = key.isEmpty() ? array.size() : Integer.parseInt(key);
            if (index < array.size()) {
                JsonNode existing = array.get(index);
                if (existing.isArray() != wantArray || existing.isValueNode()) {
                    throw conflict(name);
                }
                return existing;
            }
            array.add(made);
            return made;
        }
        ObjectNode object = (ObjectNode) container;
        JsonNode existing = object.get(key);
        if (existing == null) {
            object.set(key, made);
            return made;
        }
        if (existing.isArray() != wantArray || existing.isValueNode()) {
            throw conflict(name);
        }
        return existing;
    }

    private static boolean isIndex(String key) {
        return key.isEmpty() || (key.length() <= 4 && key.chars().allMatch(Character::isDigit));
    }

    private static ApiException conflict(String name) {
        return ApiException.badRequest(
                "The form field " + clip(name) + " is used both as a value and as a list or object");
    }

    private static String clip(String name) {
        String c = name.replaceAll("\\p{Cntrl}", "");
        return c.length() > 60 ? c.substring(0, 60) + "…" : c;
    }
}
