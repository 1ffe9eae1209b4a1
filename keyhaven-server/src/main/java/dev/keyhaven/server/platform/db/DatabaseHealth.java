package dev.keyhaven.server.platform.db;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether the database serves requests, as {@link DatabaseMonitor} last saw it: answers at once,
 * without a round trip or a connection from the request pool. Also the {@code database} health
 * indicator, part of readiness ({@code /actuator/health/readiness}).
 */
@Component("database")
public class DatabaseHealth implements HealthIndicator {
    private final DatabaseMonitor monitor;

    public DatabaseHealth(DatabaseMonitor monitor) {
        this.monitor = monitor;
    }

    public boolean isUp() {
        return monitor.problem() == null;
    }

    /** What keeps the database from serving requests, or null when nothing does. */
    public DatabaseProblem problem() {
        return monitor.problem();
    }

    @Override
    public Health health() {
        DatabaseProblem problem = monitor.problem();
        return problem == null
                ? Health.up().build()
                : Health.down().withDetail("database", problem.state()).build();
    }
}
