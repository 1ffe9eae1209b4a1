package dev.keyhaven.server.access;

import dev.keyhaven.server.platform.web.ValidationException;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Custom role slugs. Built-in slugs are reserved in every spelling: a slug that becomes a
 * built-in one after Unicode compatibility normalisation, case folding and removal of invisible
 * characters and spaces ({@code Admin}, {@code " admin"}, {@code "admin\u200b"}, full-width
 * letters) is refused, so no custom role can pass for a built-in one (the Vault CVE-2025-5999
 * class).
 */
final class RoleSlugs {
    static final Set<String> RESERVED = Set.of(
            "admin",
            "member",
            "viewer",
            "no-access",
            "custom",
            "owner",
            "ssh-host-bootstrapper",
            "kms-cryptographic-operator",
            "cryptographic-operator");
    private static final Pattern SLUG = Pattern.compile("^[a-z0-9]+(?:-[a-z0-9]+)*$");

    private RoleSlugs() {}

    static String check(String field, String slug) {
        if (slug == null || slug.isEmpty()) {
            throw ValidationException.required(field);
        }
        if (RESERVED.contains(canonical(slug))) {
            throw ValidationException.field(
                    field, "'" + slug.strip() + "' is a built-in role and cannot be used for a custom role");
        }
        if (slug.length() > 64 || !SLUG.matcher(slug).matches()) {
            throw ValidationException.field(
                    field, "Role slugs are 1 to 64 lower-case letters, digits and single hyphens");
        }
        return slug;
    }

    /**
     * True when a role name reads as a built-in role ({@code "No Access"}, {@code "ADMIN"},
     * {@code "viewer\u200b"}): compared without case, spaces, hyphens and invisible characters.
     */
    static boolean reservedName(String name) {
        String n = canonical(name).replace("-", "");
        return RESERVED.stream().anyMatch(r -> r.replace("-", "").equals(n));
    }

    /** The spelling-insensitive form used to compare against built-in slugs. */
    static String canonical(String slug) {
        String s = Normalizer.normalize(slug, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            boolean invisible = type == Character.FORMAT
                    || type == Character.CONTROL
                    || Character.isWhitespace(cp)
                    || Character.isSpaceChar(cp);
            if (!invisible) {
                out.appendCodePoint(cp);
            }
        });
        return out.toString().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
