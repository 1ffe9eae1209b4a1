package dev.keyhaven.server.dynamic.redis;

import dev.keyhaven.server.connection.ConnectionException;
import dev.keyhaven.server.connection.Dialer;
import dev.keyhaven.server.connection.ServerCredentials;
import dev.keyhaven.server.connection.redis.RedisConnector;
import dev.keyhaven.server.dynamic.DynamicSecretException;
import dev.keyhaven.server.dynamic.DynamicSecretProvider;
import dev.keyhaven.server.dynamic.Generated;
import dev.keyhaven.server.dynamic.StatementTemplate;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * {@code redis}: Redis ACL users. The statements are {@code ACL SETUSER} and {@code ACL DELUSER}
 * commands (one per {@code ;}), e.g. {@code ACL SETUSER {{username}} on >{{password}} ~* +@read};
 * they may use {@code {{username}}, {{password}}, {{expiration}}}. Redis keeps no expiry of its
 * own, so renewal only moves the lease; revocation at expiry deletes the user.
 */
@Component
class RedisProvider implements DynamicSecretProvider {
    static final Set<String> VARIABLES = Set.of("username", "password", "expiration");
    private static final Set<String> SUBCOMMANDS = Set.of("SETUSER", "DELUSER");
    private static final Map<String, String> SAMPLE =
            Map.of("username", "kh_sample", "password", "sample", "expiration", "2030-01-01T00:00:00Z");

    private final RedisConnector connector;
    private final Dialer dialer;

    RedisProvider(RedisConnector connector, Dialer dialer) {
        this.connector = connector;
        this.dialer = dialer;
    }

    @Override
    public String type() {
        return "redis";
    }

    @Override
    public Map<String, Object> validate(Map<String, Object> inputs) {
        if (inputs.get("ca") instanceof String ca && !ca.isBlank()) {
            throw new DynamicSecretException("ca: TLS to Redis is not supported yet");
        }
        for (String field : List.of("creationStatement", "revocationStatement")) {
            for (String s : StatementTemplate.parse(field, text(inputs, field), VARIABLES)
                    .render(SAMPLE)) {
                command(field, s);
            }
        }
        ServerCredentials root = ServerCredentials.parse(inputs, false);
        Map<String, Object> out = new LinkedHashMap<>(root.visible());
        out.put("password", root.password());
        out.put("creationStatement", inputs.get("creationStatement"));
        out.put("revocationStatement", inputs.get("revocationStatement"));
        return out;
    }

    @Override
    public void testConnection(Map<String, Object> inputs) {
        try (StatefulRedisConnection<String, String> c = open(inputs)) {
            c.sync().ping();
        } catch (RedisException e) {
            throw new DynamicSecretException("the Redis server did not answer PING");
        }
    }

    @Override
    public Lease create(Map<String, Object> inputs, LeaseRequest request) {
        String username = Generated.username();
        String password = Generated.password();
        run(
                inputs,
                "creationStatement",
                Map.of(
                        "username",
                        username,
                        "password",
                        password,
                        "expiration",
                        Generated.expiration(request.expiresAt())));
        return new Lease(username, Map.of("DB_USERNAME", username, "DB_PASSWORD", password));
    }

    @Override
    public void renew(Map<String, Object> inputs, String entityId, Instant expiresAt) {
        // Redis ACL users carry no expiry: the lease's new expiry is all there is to move
    }

    @Override
    public void revoke(Map<String, Object> inputs, String entityId) {
        run(inputs, "revocationStatement", Map.of("username", entityId));
    }

    private void run(Map<String, Object> inputs, String field, Map<String, String> values) {
        List<String> statements =
                StatementTemplate.parse(field, text(inputs, field), VARIABLES).render(values);
        try (StatefulRedisConnection<String, String> c = open(inputs)) {
            for (String s : statements) {
                List<String> args = command(field, s);
                CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8).add(args.get(1));
                args.subList(2, args.size()).forEach(a::add);
                if (args.get(1).equalsIgnoreCase("DELUSER")) {
                    c.sync().dispatch(CommandType.ACL, new IntegerOutput<>(StringCodec.UTF8), a);
                } else {
                    c.sync().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), a);
                }
            }
        } catch (RedisException e) {
            throw new DynamicSecretException("a Redis command of " + field + " failed");
        }
    }

    /** The words of an {@code ACL SETUSER|DELUSER} command; anything else is refused. */
    private static List<String> command(String field, String statement) {
        List<String> words = Arrays.stream(statement.strip().split("\\s+")).toList();
        if (words.size() < 3
                || !words.get(0).equalsIgnoreCase("ACL")
                || !SUBCOMMANDS.contains(words.get(1).toUpperCase(Locale.ROOT))) {
            throw new DynamicSecretException(
                    field + " may hold only ACL SETUSER and ACL DELUSER commands, separated by ;");
        }
        return words;
    }

    private StatefulRedisConnection<String, String> open(Map<String, Object> inputs) {
        try {
            return connector.open(ServerCredentials.parse(inputs, false), dialer);
        } catch (ConnectionException e) {
            throw new DynamicSecretException(e.getMessage());
        }
    }

    private static String text(Map<String, Object> inputs, String field) {
        Object v = inputs.get(field);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new DynamicSecretException(field + " is required");
        }
        return s;
    }
}
