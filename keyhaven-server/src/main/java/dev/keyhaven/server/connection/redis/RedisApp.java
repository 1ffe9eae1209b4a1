package dev.keyhaven.server.connection.redis;

import dev.keyhaven.server.connection.AppConnectionKind;
import dev.keyhaven.server.connection.ConnectionException;
import dev.keyhaven.server.connection.Dialer;
import dev.keyhaven.server.connection.ServerCredentials;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.stereotype.Component;

/** Redis connections ({@code redis}), checked by logging in as the ACL user and sending {@code PING}. */
@Component
class RedisApp implements AppConnectionKind {
    private final RedisConnector connector;

    RedisApp(RedisConnector connector) {
        this.connector = connector;
    }

    @Override
    public String app() {
        return "redis";
    }

    @Override
    public String label() {
        return "Redis";
    }

    @Override
    public boolean needsDatabase() {
        return false;
    }

    @Override
    public void verify(ServerCredentials credentials, Dialer dialer) {
        try (StatefulRedisConnection<String, String> c = connector.open(credentials, dialer)) {
            if (!"PONG".equals(c.sync().ping())) {
                throw new ConnectionException("the Redis server did not answer PING");
            }
        } catch (RedisException e) {
            throw new ConnectionException(
                    "the Redis server at " + credentials.host() + ":" + credentials.port() + " failed PING");
        }
    }
}
