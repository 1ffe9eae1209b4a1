package dev.keyhaven.server.identity;

import dev.keyhaven.server.actor.ClientInfo;
import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.web.PublicEndpoint;
import dev.keyhaven.server.platform.web.ValidationException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/auth/token}: renew and revoke an access token, which the body carries. */
@RestController
public class TokenController {
    private final AccessTokenService tokens;

    public TokenController(AccessTokenService tokens) {
        this.tokens = tokens;
    }

    record TokenBody(String accessToken) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    @PostMapping("/api/v1/auth/token/renew")
    @PublicEndpoint("the token to renew is the credential, carried in the body")
    public Map<String, Object> renew(@RequestBody TokenBody body, HttpServletRequest request) {
        return tokens.renew(require(body), ClientInfo.ip(request)).toResponse();
    }

    @PostMapping("/api/v1/auth/token/revoke")
    @PublicEndpoint("the token to revoke is the credential, carried in the body")
    public Map<String, Object> revoke(@RequestBody TokenBody body) {
        tokens.revoke(require(body));
        return Map.of("message", "Successfully revoked access token");
    }

    private static String require(TokenBody body) {
        if (body == null || body.accessToken() == null || body.accessToken().isBlank()) {
            throw ValidationException.required("accessToken");
        }
        return body.accessToken();
    }
}
