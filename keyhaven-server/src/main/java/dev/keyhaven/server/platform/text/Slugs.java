package dev.keyhaven.server.platform.text;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Slugs as Infisical writes them: lower-case letters, digits and single hyphens. */
public final class Slugs {
    public static final Pattern SLUG = Pattern.compile("^[a-z0-9]+(?:[-_][a-z0-9]+)*$");

    private Slugs() {}

    public static String slugify(String name) {
        String ascii = Normalizer.normalize(name == null ? "" : name, Normalizer.Form.NFKD)
                .replaceAll("\\p{M}", "");
        String slug =
                ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.isEmpty()) {
            slug = "item";
        }
        return slug.length() > 48 ? slug.substring(0, 48).replaceAll("-+$", "") : slug;
    }

    public static boolean isSlug(String s) {
        return s != null && SLUG.matcher(s).matches();
    }
}
