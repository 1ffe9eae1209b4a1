package dev.keyhaven.server.admin;

import dev.keyhaven.server.platform.web.PublicEndpoint;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/status}: liveness plus a database round trip, for load balancers and probes. */
@RestController
public class StatusController {
    private final JdbcClient jdbc;

    public StatusController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/api/status")
    @PublicEndpoint("health check for load balancers")
    public Map<String, Object> status() {
        boolean db;
        try {
            db = jdbc.sql("SELECT 1").query(Integer.class).single() == 1;
        } catch (RuntimeException e) {
            db = false;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("date", java.time.Instant.now().toString());
        out.put("message", db ? "Ok" : "Database unreachable");
        out.put("database", db ? "up" : "down");
        out.put("emailConfigured", false);
        return out;
    }
}
