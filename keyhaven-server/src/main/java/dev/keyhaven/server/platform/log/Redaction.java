package dev.keyhaven.server.platform.log;

import java.lang.reflect.RecordComponent;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code toString()} for records that carry credentials: the usual {@code Name[a=1, b=2]} with
 * every credential-like component (passwords, secrets and secret values, tokens, JWTs, codes,
 * hashes, keys' private halves, signed requests) shown as {@code ***}, so a record that reaches a
 * log line, at any level, never carries one.
 */
public final class Redaction {
    /** Component names that hold a credential or a secret value. */
    private static final Pattern SENSITIVE = Pattern.compile(
            "password|passwd|pass$|secret|token|jwt|code|hash|privatekey|rootkey|apikey|signingkey|signature|iamrequest|credential|value$|pin$",
            Pattern.CASE_INSENSITIVE);
    /** ...except those that only name or describe one (an id, a lifetime, a path, a key's name). */
    private static final Pattern DESCRIPTIVE = Pattern.compile(
            "(id|ids|ttl|limit|uses|prefix|path|paths|name|mode|type|trustedips|secretkey|expiration|at)$",
            Pattern.CASE_INSENSITIVE);

    public static final String MASK = "***";

    private Redaction() {}

    /** Whether a component of this name is masked. */
    public static boolean isSensitive(String componentName) {
        String n = componentName.toLowerCase(Locale.ROOT);
        return SENSITIVE.matcher(n).find() && !DESCRIPTIVE.matcher(n).find();
    }

    /** The record's {@code toString()} with its sensitive components masked (null stays null). */
    public static String toString(Record record) {
        StringBuilder sb = new StringBuilder(record.getClass().getSimpleName()).append('[');
        RecordComponent[] components = record.getClass().getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(c.getName()).append('=');
            Object value = read(record, c);
            sb.append(value != null && isSensitive(c.getName()) ? MASK : value);
        }
        return sb.append(']').toString();
    }

    private static Object read(Record record, RecordComponent c) {
        try {
            var accessor = c.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "?";
        }
    }
}
