package dev.keyhaven.server.identity;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.actor.Actor;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/auth/token-auth}: configuration per identity and the named tokens issued through it. */
@RestController
@RequestMapping("/api/v1/auth/token-auth")
public class TokenAuthController extends MachineAuthController<TokenAuthService.Settings> {
    private static final String BASE = "/identities/{identityId}";
    private final TokenAuthService tokenAuth;

    public TokenAuthController(TokenAuthService tokenAuth, MethodConfigs configs) {
        super(tokenAuth, configs, "identityTokenAuth", TokenAuthService.Settings.EMPTY);
        this.tokenAuth = tokenAuth;
    }

    record Name(String name) {}

    @PostMapping(BASE + "/tokens")
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.CREATE_TOKEN)
    public Map<String, Object> createToken(
            Actor actor, @PathVariable String identityId, @RequestBody(required = false) Name body) {
        return tokenAuth.createToken(actor, identityId, body == null ? null : body.name());
    }

    @GetMapping(BASE + "/tokens")
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.GET_TOKEN)
    public Map<String, Object> listTokens(Actor actor, @PathVariable String identityId) {
        return Map.of("tokens", tokenAuth.listTokens(actor, identityId));
    }

    @PatchMapping("/tokens/{tokenId}")
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> renameToken(
            Actor actor, @PathVariable String tokenId, @RequestBody(required = false) Name body) {
        return Map.of("token", tokenAuth.renameToken(actor, tokenId, body == null ? null : body.name()));
    }

    @PostMapping("/tokens/{tokenId}/revoke")
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.DELETE_TOKEN)
    public Map<String, Object> revokeToken(Actor actor, @PathVariable String tokenId) {
        tokenAuth.revokeToken(actor, tokenId);
        return Map.of("message", "Successfully revoked access token");
    }
}
