package dev.keyhaven.server.secret;

import dev.keyhaven.server.platform.web.ApiException;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Bounds on secret references, from {@code KEYHAVEN_REFERENCES_*}, so that no value and no
 * request can make the server expand, walk or hold an unbounded amount:
 * <ul>
 * <li>{@code MAX_PER_VALUE} (default 100): references one value may hold, checked on write;</li>
 * <li>{@code MAX_PER_REQUEST} (default 10,000): references resolved by one request, by reads
 * (expansion, the reference tree) and by the cycle check of a write; a reference resolved once
 * is reused within the request, so each distinct reference counts once;</li>
 * <li>{@code MAX_VALUE_CHARS} (default 1,048,576): characters of one expanded value;</li>
 * <li>{@code MAX_REQUEST_CHARS} (default 16,777,216): characters expanded by one request.</li>
 * </ul>
 * Beyond a bound the request is refused with {@code 422 ReferenceLimitExceeded} naming it.
 */
@ConfigurationProperties("keyhaven.references")
public record ReferenceLimits(
        Integer maxPerValue, Integer maxPerRequest, Integer maxValueChars, Integer maxRequestChars) {
    static final String ERROR = "ReferenceLimitExceeded";

    public ReferenceLimits {
        maxPerValue = maxPerValue == null ? 100 : maxPerValue;
        maxPerRequest = maxPerRequest == null ? 10_000 : maxPerRequest;
        maxValueChars = maxValueChars == null ? 1024 * 1024 : maxValueChars;
        maxRequestChars = maxRequestChars == null ? 16 * 1024 * 1024 : maxRequestChars;
        if (maxPerValue < 1 || maxPerRequest < 1 || maxValueChars < 1 || maxRequestChars < 1) {
            throw new IllegalArgumentException(
                    "KEYHAVEN_REFERENCES_MAX_PER_VALUE, _MAX_PER_REQUEST, _MAX_VALUE_CHARS and "
                            + "_MAX_REQUEST_CHARS must be 1 or more");
        }
    }

    /** The defaults, for code that runs without Spring (tests of the expander). */
    static ReferenceLimits defaults() {
        return new ReferenceLimits(null, null, null, null);
    }

    static ApiException tooManyInValue(String field, int count, int limit) {
        return exceeded(
                "KEYHAVEN_REFERENCES_MAX_PER_VALUE",
                limit,
                field + " holds " + count + " secret references; at most " + limit
                        + " are allowed in one value (KEYHAVEN_REFERENCES_MAX_PER_VALUE)");
    }

    static ApiException tooManyResolved(int limit) {
        return exceeded(
                "KEYHAVEN_REFERENCES_MAX_PER_REQUEST",
                limit,
                "This request would resolve more than " + limit
                        + " secret references; reference fewer secrets (or fewer levels deep), or raise "
                        + "KEYHAVEN_REFERENCES_MAX_PER_REQUEST");
    }

    static ApiException valueTooLong(int limit) {
        return exceeded(
                "KEYHAVEN_REFERENCES_MAX_VALUE_CHARS",
                limit,
                "A secret value would expand to more than " + limit
                        + " characters through its references; read it without expandSecretReferences, reference less, or raise "
                        + "KEYHAVEN_REFERENCES_MAX_VALUE_CHARS");
    }

    static ApiException requestTooLong(int limit) {
        return exceeded(
                "KEYHAVEN_REFERENCES_MAX_REQUEST_CHARS",
                limit,
                "The secrets of this request would expand to more "
                        + "than " + limit
                        + " characters through their references; read fewer secrets at once, read them without "
                        + "expandSecretReferences, or raise KEYHAVEN_REFERENCES_MAX_REQUEST_CHARS");
    }

    private static ApiException exceeded(String setting, int limit, String message) {
        return new ApiException(422, ERROR, message, Map.of("limit", setting, "value", limit));
    }
}
