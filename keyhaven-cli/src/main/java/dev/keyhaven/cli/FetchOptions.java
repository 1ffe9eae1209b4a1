package dev.keyhaven.cli;

import dev.keyhaven.client.KeyhavenException;
import dev.keyhaven.client.SecretList;
import dev.keyhaven.client.SecretQuery;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Option;

/** {@code --fallback-offline} for the commands that read a folder's secrets (run, export, secrets list). */
final class FetchOptions {
    @Option(
            names = "--fallback-offline",
            description = "Keep an encrypted copy of each fetch in the config dir and use it, with a warning, "
                    + "when the server cannot be reached.")
    boolean fallbackOffline;

    /** The secrets from the server; with --fallback-offline cached, or read from the cache when unreachable. */
    SecretList fetch(KeyhavenCli cli, PrintWriter err, SecretQuery q) {
        if (!fallbackOffline) {
            return cli.client(err).listSecrets(q);
        }
        OfflineCache cache = new OfflineCache(cli.configDir);
        SecretList list;
        try {
            list = cli.client(err).listSecrets(q);
        } catch (KeyhavenException.Unreachable e) {
            OfflineCache.Entry cached = cache.load(q);
            if (cached == null) {
                throw new KeyhavenCli.UserError(KeyhavenCli.describe(e) + " There is no offline copy of "
                        + q.environment() + ":" + q.secretPath()
                        + " yet (each successful fetch with --fallback-offline "
                        + "stores one).");
            }
            err.println("keyhaven: warning: " + e.getMessage() + "; using the offline copy of " + q.environment() + ":"
                    + q.secretPath() + " fetched " + OfflineCache.age(cached.fetchedAt(), Instant.now()) + " ago ("
                    + cached.fetchedAt() + ").");
            err.flush();
            return cached.list();
        }
        try {
            cache.store(q, list, Instant.now());
        } catch (RuntimeException e) {
            err.println("keyhaven: warning: could not update the offline cache: " + e.getMessage());
            err.flush();
        }
        return list;
    }
}
