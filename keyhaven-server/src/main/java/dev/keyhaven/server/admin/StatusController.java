package dev.keyhaven.server.admin;

import dev.keyhaven.server.notify.Notifications;
import dev.keyhaven.server.platform.db.DatabaseHealth;
import dev.keyhaven.server.platform.db.DatabaseProblem;
import dev.keyhaven.server.platform.web.PublicEndpoint;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/status}: liveness plus the database's state as the background probe last saw it,
 * for load balancers and probes (503 naming the problem when the database cannot serve requests).
 */
@RestController
public class StatusController {
    private final DatabaseHealth database;
    private final Notifications notifications;

    public StatusController(DatabaseHealth database, Notifications notifications) {
        this.database = database;
        this.notifications = notifications;
    }

    @GetMapping("/api/status")
    @PublicEndpoint("health check for load balancers")
    public ResponseEntity<Map<String, Object>> status() {
        DatabaseProblem problem = database.problem();
        boolean up = problem == null;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("date", Instant.now().toString());
        out.put("message", up ? "Ok" : problem.message());
        out.put("database", up ? "up" : problem.state());
        out.put("emailConfigured", notifications.emailEnabled());
        return ResponseEntity.status(up ? 200 : 503).body(out);
    }
}
