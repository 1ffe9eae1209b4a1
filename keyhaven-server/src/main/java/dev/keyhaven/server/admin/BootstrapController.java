package dev.keyhaven.server.admin;

import dev.keyhaven.server.actor.ClientInfo;
import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.web.PublicEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/admin/bootstrap}: first-time setup of a fresh instance. */
@RestController
public class BootstrapController {
    private final BootstrapService bootstrap;
    private final BootstrapGate gate;

    public BootstrapController(BootstrapService bootstrap, BootstrapGate gate) {
        this.bootstrap = bootstrap;
        this.gate = gate;
    }

    record Bootstrap(String email, String password, String organization) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    @PostMapping("/api/v1/admin/bootstrap")
    @PublicEndpoint(
            "sets up a fresh instance; only from localhost or with the bootstrap token; refused once any user exists")
    public Map<String, Object> bootstrap(@RequestBody Bootstrap body, HttpServletRequest request) {
        gate.check(request);
        return bootstrap.bootstrap(
                body.email(),
                body.password(),
                body.organization(),
                ClientInfo.ip(request),
                ClientInfo.userAgent(request));
    }
}
