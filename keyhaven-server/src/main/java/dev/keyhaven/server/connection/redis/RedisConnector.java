package dev.keyhaven.server.connection.redis;

import dev.keyhaven.server.connection.ConnectionException;
import dev.keyhaven.server.connection.Dialer;
import dev.keyhaven.server.connection.Route;
import dev.keyhaven.server.connection.ServerCredentials;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Opens Redis connections for app connections: to the address the {@link Dialer} checked, as the
 * connection's ACL user, with bounded waits and no automatic reconnect. One Lettuce client (its
 * threads are made on first use) serves every connection and is shut down with the server.
 */
@Component
public class RedisConnector {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private RedisClient client;

    public StatefulRedisConnection<String, String> open(ServerCredentials c, Dialer dialer) {
        Route route = dialer.route(c.host(), c.port());
        RedisURI uri = RedisURI.builder()
                .withHost(route.address())
                .withPort(route.port())
                .withAuthentication(c.username(), c.password().toCharArray())
                .withTimeout(TIMEOUT)
                .build();
        try {
            return client().connect(uri);
        } catch (RedisConnectionException e) {
            throw failure(e, c, route);
        } catch (RedisException e) {
            throw new ConnectionException("the Redis server at " + c.host() + ":" + c.port() + " failed");
        }
    }

    /** The caller-facing wording of a failed Redis connection. */
    static ConnectionException failure(RedisException e, ServerCredentials c, Route route) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisCommandExecutionException x
                    && x.getMessage() != null
                    && (x.getMessage().startsWith("WRONGPASS") || x.getMessage().startsWith("NOAUTH"))) {
                return new ConnectionException(
                        "the Redis server at " + c.host() + ":" + c.port() + " refused the username or password");
            }
        }
        return new ConnectionException(
                "could not connect to " + c.host() + ":" + c.port() + " (" + route.address() + ")");
    }

    private synchronized RedisClient client() {
        if (client == null) {
            client = RedisClient.create();
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(false)
                    .socketOptions(
                            SocketOptions.builder().connectTimeout(TIMEOUT).build())
                    .build());
        }
        return client;
    }

    @PreDestroy
    synchronized void close() {
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            client = null;
        }
    }
}
