package dev.keyhaven.server.secret;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The listing cache ({@link ListingCache}), from {@code KEYHAVEN_READ_CACHE_*}: how long a
 * rendered listing may be kept ({@code SECONDS}, default 60; 0 turns the cache off) and how much
 * memory all of them may take ({@code MEGABYTES}, default 64); and how much memory the rows cache
 * ({@link ContentCache}: environments, folders, sealed secret rows, tags, imports) may take
 * ({@code ROWS_MEGABYTES}, default 32; 0 turns it off).
 */
@ConfigurationProperties("keyhaven.read-cache")
public record ReadCacheProperties(Integer seconds, Integer megabytes, Integer rowsMegabytes) {
    public ReadCacheProperties {
        seconds = seconds == null ? 60 : seconds;
        megabytes = megabytes == null ? 64 : megabytes;
        rowsMegabytes = rowsMegabytes == null ? 32 : rowsMegabytes;
        if (seconds < 0 || megabytes < 0 || rowsMegabytes < 0) {
            throw new IllegalArgumentException("KEYHAVEN_READ_CACHE_SECONDS, KEYHAVEN_READ_CACHE_MEGABYTES and"
                    + " KEYHAVEN_READ_CACHE_ROWS_MEGABYTES must be 0 or more");
        }
    }
}
