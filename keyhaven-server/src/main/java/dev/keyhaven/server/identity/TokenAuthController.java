package dev.keyhaven.server.identity;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.actor.Actor;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/auth/token-auth}: configuration per identity and the named tokens issued through it. */
@RestController
public class TokenAuthController {
    private static final String BASE = "/api/v1/auth/token-auth/identities/{identityId}";
    private final TokenAuthService tokenAuth;

    public TokenAuthController(TokenAuthService tokenAuth) {
        this.tokenAuth = tokenAuth;
    }

    record Name(String name) {}

    @PostMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.CREATE)
    public Map<String, Object> attach(
            Actor actor,
            @PathVariable String identityId,
            @RequestBody(required = false) TokenAuthService.Settings body) {
        return Map.of("identityTokenAuth", tokenAuth.attach(actor, identityId, orEmpty(body)));
    }

    @GetMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String identityId) {
        return Map.of("identityTokenAuth", tokenAuth.get(actor, identityId));
    }

    @PatchMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> update(
            Actor actor,
            @PathVariable String identityId,
            @RequestBody(required = false) TokenAuthService.Settings body) {
        return Map.of("identityTokenAuth", tokenAuth.update(actor, identityId, orEmpty(body)));
    }

    @DeleteMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> detach(Actor actor, @PathVariable String identityId) {
        return Map.of("identityTokenAuth", tokenAuth.detach(actor, identityId));
    }

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

    @PatchMapping("/api/v1/auth/token-auth/tokens/{tokenId}")
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> renameToken(
            Actor actor, @PathVariable String tokenId, @RequestBody(required = false) Name body) {
        return Map.of("token", tokenAuth.renameToken(actor, tokenId, body == null ? null : body.name()));
    }

    @PostMapping("/api/v1/auth/token-auth/tokens/{tokenId}/revoke")
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.DELETE_TOKEN)
    public Map<String, Object> revokeToken(Actor actor, @PathVariable String tokenId) {
        tokenAuth.revokeToken(actor, tokenId);
        return Map.of("message", "Successfully revoked access token");
    }

    private static TokenAuthService.Settings orEmpty(TokenAuthService.Settings body) {
        return body != null ? body : TokenAuthService.Settings.EMPTY;
    }
}
