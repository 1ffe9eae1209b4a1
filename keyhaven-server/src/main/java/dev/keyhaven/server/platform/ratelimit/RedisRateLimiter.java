package dev.keyhaven.server.platform.ratelimit;

import dev.keyhaven.server.platform.config.StartupException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts rate-limit hits in Redis, so every node behind a load balancer counts against the same
 * limit. Each hit is one atomic script call: {@code INCR} of the key for the current minute, and
 * {@code PEXPIRE} when that created it. Redis is a helper, not a dependency: while it cannot be
 * reached (down at start-up, a dropped connection, a slow answer) hits are counted in this node's
 * memory instead, requests are never refused because of Redis, and a warning is logged at most
 * once a minute.
 */
public class RedisRateLimiter implements RateLimiter, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);
    static final String SCRIPT = "local n = redis.call('INCR', KEYS[1]) "
            + "if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n";
    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);
    private static final long RECONNECT_EVERY_MS = 5_000;
    private static final String TTL_MS = Long.toString(2 * WINDOW_MS);

    private final RedisClient client;
    private final RedisURI uri;
    private final String where;
    private final String prefix;
    private final RateLimiter fallback;
    private final Clock clock;
    private volatile RedisCommands<String, String> commands;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile String sha;
    private volatile long nextConnectAt;
    private volatile long nextWarningAt;
    private volatile boolean degraded;
    private volatile boolean connecting;

    public RedisRateLimiter(String url, String prefix, RateLimiter fallback, Clock clock) {
        RedisURI uri;
        try {
            uri = RedisURI.create(url);
        } catch (RuntimeException e) {
            throw new StartupException("KEYHAVEN_REDIS_URL is not a Redis URL (e.g. redis://127.0.0.1:6379/0, "
                    + "rediss://:password@redis.internal:6380/0)");
        }
        // the connection handshake may take longer than a command on a cold JVM; commands time out by TimeoutOptions
        uri.setTimeout(Duration.ofSeconds(5));
        this.where = uri.getHost() == null ? "(sentinel)" : uri.getHost() + ":" + uri.getPort();
        this.prefix = prefix;
        this.fallback = fallback;
        this.clock = clock;
        this.uri = uri;
        this.client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // while reconnecting, fail at once and count locally instead of queueing behind the outage
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        try {
            // give the first connection a moment, so a node starts counting in Redis from its first request
            connectInBackground(clock.millis()).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // logged by the connect; requests are counted locally until Redis answers
        }
    }

    @Override
    public long hit(String key, int perMinute) {
        if (perMinute <= 0) {
            return 0;
        }
        long now = clock.millis();
        RedisCommands<String, String> redis = commands(now);
        if (redis == null) {
            return fallback.hit(key, perMinute);
        }
        String[] keys = {prefix + "rl:" + key + ":" + now / WINDOW_MS};
        try {
            Long count;
            try {
                count = redis.evalsha(sha, ScriptOutputType.INTEGER, keys, TTL_MS);
            } catch (RedisNoScriptException e) {
                // Redis restarted or was flushed: EVAL runs the script and caches it again
                count = redis.eval(SCRIPT, ScriptOutputType.INTEGER, keys, TTL_MS);
            }
            if (degraded) {
                degraded = false;
                log.info("Redis at {} answers again; rate limits are shared between nodes again", where);
            }
            return count <= perMinute ? 0 : RateLimiter.secondsLeft(now);
        } catch (RuntimeException e) {
            unavailable(now, e);
            return fallback.hit(key, perMinute);
        }
    }

    /**
     * The connection's commands, or null while there is none; then a connection is opened in the
     * background (at most every few seconds), so no request ever waits for a connect.
     */
    private RedisCommands<String, String> commands(long now) {
        RedisCommands<String, String> current = commands;
        if (current == null && now >= nextConnectAt) {
            connectInBackground(now);
        }
        return current;
    }

    private synchronized CompletableFuture<?> connectInBackground(long now) {
        if (commands != null || connecting || now < nextConnectAt) {
            return CompletableFuture.completedFuture(null);
        }
        connecting = true;
        nextConnectAt = now + RECONNECT_EVERY_MS;
        return client.connectAsync(StringCodec.UTF8, uri)
                .toCompletableFuture()
                .thenCompose(c -> c.async()
                        .scriptLoad(SCRIPT)
                        .toCompletableFuture()
                        .whenComplete((digest, e) -> {
                            if (e != null) {
                                c.closeAsync();
                            }
                        })
                        .thenAccept(digest -> {
                            sha = digest;
                            connection = c;
                            commands = c.sync();
                        }))
                .whenComplete((ok, e) -> {
                    connecting = false;
                    if (e != null) {
                        unavailable(clock.millis(), e);
                    } else {
                        degraded = false;
                        log.info("Rate limits are counted in Redis at {}, shared by every node", where);
                    }
                });
    }

    private void unavailable(long now, Throwable e) {
        degraded = true;
        if (now >= nextWarningAt) {
            nextWarningAt = now + WINDOW_MS;
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            log.warn(
                    "Redis at {} is unavailable for rate limits ({}); each node counts on its own until it is back",
                    where,
                    cause.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
