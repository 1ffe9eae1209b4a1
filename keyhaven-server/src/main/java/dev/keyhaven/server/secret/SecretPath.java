package dev.keyhaven.server.secret;

import dev.keyhaven.server.platform.web.ValidationException;
import java.util.regex.Pattern;

/**
 * Folder paths as the API accepts them: trimmed, a leading {@code /} added and trailing slashes
 * removed, {@code /} by default. Traversal is refused, not resolved: {@code .} and {@code ..}
 * segments, empty segments ({@code //}), percent signs (encoded traversal that survived one
 * decoding), backslashes and control characters all give a 422.
 */
public final class SecretPath {
    public static final String ROOT = "/";
    public static final int MAX_LENGTH = 1024;
    static final Pattern FOLDER_NAME = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

    private SecretPath() {}

    public static String normalize(String field, String raw) {
        if (raw == null) {
            return ROOT;
        }
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                throw ValidationException.field(field, "Path must not contain control characters");
            }
        }
        String p = raw.trim();
        if (p.isEmpty()) {
            return ROOT;
        }
        if (p.length() > MAX_LENGTH) {
            throw ValidationException.field(field, "Path must be at most " + MAX_LENGTH + " characters");
        }
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals(ROOT)) {
            return ROOT;
        }
        for (String segment : p.substring(1).split("/", -1)) {
            if (segment.isEmpty()) {
                throw ValidationException.field(field, "Path must not contain empty segments ('//')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw ValidationException.field(field, "Path must not contain '.' or '..' segments");
            }
            if (!FOLDER_NAME.matcher(segment).matches()) {
                throw ValidationException.field(
                        field, "Path segments may contain only letters, digits, '-' and '_' (got an invalid segment)");
            }
        }
        return p;
    }

    public static String join(String parent, String name) {
        return ROOT.equals(parent) ? "/" + name : parent + "/" + name;
    }

    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? ROOT : path.substring(0, slash);
    }

    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** True when {@code path} is {@code ancestor} or lies below it. */
    public static boolean isWithin(String path, String ancestor) {
        return ROOT.equals(ancestor) || path.equals(ancestor) || path.startsWith(ancestor + "/");
    }

    public static void checkFolderName(String field, String name) {
        if (name == null || !FOLDER_NAME.matcher(name).matches()) {
            throw ValidationException.field(field, "Folder names are 1 to 64 letters, digits, '-' or '_'");
        }
    }
}
