package dev.keyhaven.server.identity;

import java.util.Arrays;
import java.util.List;

/**
 * The comma lists cloud auth methods bind to ({@code allowedServiceAccounts}, {@code allowedProjects},
 * {@code allowedZones}, {@code allowedServicePrincipalIds}): stored as Infisical formats them
 * ({@code "a, b"}), matched exactly, and empty meaning "no restriction from this list".
 */
final class AllowList {
    private AllowList() {}

    /** Trims every entry, drops empty ones and joins with {@code ", "}; null stays null (absent on update). */
    static String normalise(String raw) {
        return raw == null ? null : String.join(", ", entries(raw));
    }

    static List<String> entries(String list) {
        return Arrays.stream(list.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** True when {@code value} is one of the entries; a null value matches nothing. */
    static boolean allows(String list, String value) {
        return value != null && entries(list).contains(value);
    }
}
