package dev.keyhaven.server.secret;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keyhaven.server.project.Environment;
import dev.keyhaven.server.project.Project;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What reads look up in a project before they render: its environments, folders by path and by
 * id, secret rows (sealed, as stored), tags and imports. Each entry is filed under the project's
 * content revision, which database triggers move on every change to those tables (V3_9, V3_10)
 * and which every request reads with the project before it reads anything else. An entry is
 * therefore only ever found by requests that read the same revision; a change committed during a
 * load shows as a newer revision, so the entry cannot be served for it.
 *
 * <p>Entries hold no clear values (values are still opened per request, so a key that can no
 * longer be used fails the read at once) and no permission outcomes: every reader's rules are
 * applied to the rows after they are found. Personal secrets are filed under their owner. The
 * cache is bounded in memory ({@code KEYHAVEN_READ_CACHE_ROWS_MEGABYTES}, default 32; 0 turns it
 * off) and in time ({@link #LIFETIME}).
 */
@Component
class ContentCache {
    static final Duration LIFETIME = Duration.ofMinutes(5);

    /** One lookup in one project at one content revision. */
    record Key(String projectId, long revision, String kind, Object argument) {}

    private final Cache<Key, Object> entries;
    private final java.util.concurrent.atomic.LongAdder served = new java.util.concurrent.atomic.LongAdder();

    ContentCache(ReadCacheProperties settings, ObjectProvider<MeterRegistry> meters) {
        this.entries = settings.rowsMegabytes() == 0
                ? null
                : Caffeine.newBuilder()
                        .expireAfterWrite(LIFETIME)
                        .maximumWeight(settings.rowsMegabytes() * 1024L * 1024L)
                        .weigher((Key k, Object v) -> weight(v))
                        .recordStats()
                        .build();
        MeterRegistry registry = meters.getIfAvailable();
        if (entries != null && registry != null) {
            CaffeineCacheMetrics.monitor(registry, entries, "keyhaven.secret.rows");
        }
    }

    /** Lookups answered from the cache so far. */
    long served() {
        return served.sum();
    }

    List<Environment> environments(Project project, Supplier<List<Environment>> load) {
        return get(project, "environments", "", () -> List.copyOf(load.get()));
    }

    Optional<Folder> folderByPath(Project project, String envId, String path, Supplier<Optional<Folder>> load) {
        return get(project, "folder", List.of(envId, path), load);
    }

    Optional<Folder> folderById(Project project, String folderId, Supplier<Optional<Folder>> load) {
        return get(project, "folderId", folderId, load);
    }

    Optional<SecretRow> secret(
            Project project,
            String folderId,
            String key,
            String type,
            String ownerId,
            Supplier<Optional<SecretRow>> load) {
        return get(project, "secret", List.of(folderId, key, type, ownerId == null ? "" : ownerId), load);
    }

    List<Tag> tagsOf(Project project, String secretId, Supplier<List<Tag>> load) {
        return get(project, "tags", secretId, () -> List.copyOf(load.get()));
    }

    /** The rows of some folders; {@code ownerId} is the user whose personal overrides are included, or null. */
    SecretStore.FolderRows folderRows(
            Project project, List<String> folderIds, String ownerId, Supplier<SecretStore.FolderRows> load) {
        List<String> key = new java.util.ArrayList<>(folderIds);
        key.add(ownerId == null ? "" : "owner:" + ownerId);
        return get(project, "rows", List.copyOf(key), () -> {
            SecretStore.FolderRows rows = load.get();
            return new SecretStore.FolderRows(List.copyOf(rows.rows()), rows.anyTagged());
        });
    }

    Map<String, List<Tag>> folderTags(Project project, List<String> folderIds, Supplier<Map<String, List<Tag>>> load) {
        return get(project, "folderTags", List.copyOf(folderIds), () -> {
            Map<String, List<Tag>> copy = new HashMap<>();
            load.get().forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return Map.copyOf(copy);
        });
    }

    List<SecretImport> importsOf(Project project, String folderId, Supplier<List<SecretImport>> load) {
        return get(project, "imports", folderId, () -> List.copyOf(load.get()));
    }

    @SuppressWarnings("unchecked")
    private <T> T get(Project project, String kind, Object argument, Supplier<T> load) {
        if (entries == null) {
            return load.get();
        }
        Key key = new Key(project.id(), project.contentRevision(), kind, argument);
        Object found = entries.getIfPresent(key);
        if (found == null) {
            found = load.get();
            entries.put(key, found);
        } else {
            served.increment();
        }
        return (T) found;
    }

    /** An estimate of an entry's size in bytes: what its rows hold, or a flat amount. */
    private static int weight(Object value) {
        if (value instanceof SecretStore.FolderRows rows) {
            int w = 256;
            for (SecretRow r : rows.rows()) {
                w += weight(r);
            }
            return w;
        }
        if (value instanceof Optional<?> o && o.isPresent() && o.get() instanceof SecretRow r) {
            return 256 + weight(r);
        }
        if (value instanceof List<?> l) {
            return 256 + 256 * l.size();
        }
        if (value instanceof Map<?, ?> m) {
            return 256 + 512 * m.size();
        }
        return 512;
    }

    private static int weight(SecretRow r) {
        return 400
                + 2
                        * (length(r.key())
                                + length(r.valueCt())
                                + length(r.commentCt())
                                + length(r.metadataJson())
                                + length(r.reminderNote()));
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }
}
