package dev.keyhaven.server.secret;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Secret listings as rendered JSON, per reader, project and query, so that a repeated read skips
 * the secret rows, their decryption, reference expansion and JSON writing. An entry is served
 * only while both things it was rendered under still stand: the project's content revision
 * (moved by database triggers on every change to its environments, folders, secrets, tags and
 * imports, and read with the project on every request) and the reader's permission set (rebuilt
 * whenever an access change moves the access epoch). Both are read before the data, so a change
 * committed during a render shows as a newer revision and the entry is never served.
 *
 * <p>Entries hold decrypted values: they live for at most {@code KEYHAVEN_READ_CACHE_SECONDS}
 * (0 turns the cache off), are bounded in bytes, never leave the process and are dropped when the
 * node stops. Every read is still authenticated, checked and audited.
 */
@Component
class ListingCache {
    /** Who reads what: the reader (personal secrets and permissions differ), the project and the exact query. */
    record Key(String actorType, String actorId, String projectId, SecretReader.ListQuery query) {}

    /** A rendered listing and what it was rendered under; the audit metadata of the read it answers. */
    record Entry(long contentRevision, Object permissions, byte[] json, Map<String, Object> auditMetadata) {}

    private final Cache<Key, Entry> entries;
    private final LongAdder served = new LongAdder();

    ListingCache(ReadCacheProperties settings, ObjectProvider<MeterRegistry> meters) {
        this.entries = settings.seconds() == 0 || settings.megabytes() == 0
                ? null
                : Caffeine.newBuilder()
                        .expireAfterWrite(Duration.ofSeconds(settings.seconds()))
                        .maximumWeight(settings.megabytes() * 1024L * 1024L)
                        .weigher((Key k, Entry e) -> e.json().length + 512)
                        .recordStats()
                        .build();
        MeterRegistry registry = meters.getIfAvailable();
        if (entries != null && registry != null) {
            CaffeineCacheMetrics.monitor(registry, entries, "keyhaven.secret.listings");
        }
    }

    /** Listings served from the cache so far. */
    long served() {
        return served.sum();
    }

    boolean enabled() {
        return entries != null;
    }

    /** The entry for the key if it was rendered under this revision and this permission set. */
    Entry get(Key key, long contentRevision, Object permissions) {
        Entry e = entries == null ? null : entries.getIfPresent(key);
        if (e == null) {
            return null;
        }
        if (e.contentRevision() != contentRevision || e.permissions() != permissions) {
            entries.asMap().remove(key, e);
            return null;
        }
        served.increment();
        return e;
    }

    void put(Key key, Entry entry) {
        if (entries != null) {
            entries.put(key, entry);
        }
    }
}
