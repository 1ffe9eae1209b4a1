package dev.keyhaven.server.notify.channels;

import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.outbound.OutboundHttp;
import dev.keyhaven.server.platform.web.ValidationException;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * The checks every kind applies to its settings: only the fields it knows, strings of bounded
 * length, URLs the server may call. Errors name the field ({@code config.webhookUrl}) and never
 * repeat the value, which may be a credential.
 */
final class ChannelInput {
    static final int MAX_URL = 2048;

    private ChannelInput() {}

    static void onlyFields(Map<String, Object> raw, Set<String> known) {
        for (String f : raw.keySet()) {
            if (!known.contains(f)) {
                throw ValidationException.field("config." + f, "Unknown field; expected one of " + known);
            }
        }
    }

    /** A string field, or null when absent; blank or too long is refused. */
    static String optional(Map<String, Object> raw, String field, int max) {
        Object v = raw.get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw ValidationException.invalidType(
                    "config." + field, "string", v.getClass().getSimpleName());
        }
        String t = s.strip();
        if (t.isEmpty() || t.length() > max) {
            throw ValidationException.field("config." + field, "Must be between 1 and " + max + " characters");
        }
        return t;
    }

    static String required(Map<String, Object> raw, String field, int max) {
        String v = optional(raw, field, max);
        if (v == null) {
            throw ValidationException.required("config." + field);
        }
        return v;
    }

    /** An http(s) URL without user info whose host the outbound allow-list lets this server call. */
    static String url(Map<String, Object> raw, String field, ChannelDelivery delivery, boolean required) {
        String url = required ? required(raw, field, MAX_URL) : optional(raw, field, MAX_URL);
        if (url == null) {
            return null;
        }
        try {
            delivery.checkUrl(url);
        } catch (OutboundHttp.OutboundException e) {
            throw ValidationException.field("config." + field, "This URL cannot be used: " + e.getMessage());
        }
        return url;
    }

    /** A URL shown without its path, query or user part, where services put the token. */
    static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        URI uri = URI.create(url);
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return uri.getScheme() + "://" + uri.getHost() + port + "/" + Redaction.MASK;
    }

    /** A token shown by its kind prefix only ({@code xoxb-***}). */
    static String maskToken(String token) {
        if (token == null) {
            return null;
        }
        int dash = token.indexOf('-');
        return (dash > 0 && dash <= 5 ? token.substring(0, dash + 1) : "") + Redaction.MASK;
    }
}
