package dev.keyhaven.server.sso;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.actor.ClientInfo;
import dev.keyhaven.server.people.SsoSignIn;
import dev.keyhaven.server.platform.config.KeyhavenProperties;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.PublicEndpoint;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/sso/oidc}: the organization's OIDC configuration ({@code GET|POST|PATCH /config},
 * the client secret is accepted and never returned), and the browser flow: {@code GET /login?orgSlug=}
 * redirects to the identity provider and {@code GET /callback} is where it sends the browser back.
 */
@RestController
public class OidcSsoController {
    private static final String BASE = "/api/v1/sso/oidc";
    static final String BROWSER_COOKIE = "kh_sso";
    private static final String COOKIE_PATH = "/api/v1/sso";

    private final OidcSsoConfigService configs;
    private final OidcSsoLogin login;
    private final String siteUrl;

    OidcSsoController(OidcSsoConfigService configs, OidcSsoLogin login, KeyhavenProperties props) {
        this.configs = configs;
        this.login = login;
        this.siteUrl = props.siteUrl() == null ? "" : props.siteUrl().strip();
    }

    @GetMapping(BASE + "/config")
    @OrgPermission(subject = OrgSubject.SSO, actions = OrgAction.READ)
    public Map<String, Object> get(Actor actor, @RequestParam(required = false) String organizationId) {
        return json(configs.get(actor, organizationId == null ? actor.orgId() : organizationId));
    }

    @PostMapping(BASE + "/config")
    @OrgPermission(subject = OrgSubject.SSO, actions = OrgAction.CREATE)
    public Map<String, Object> create(Actor actor, @RequestBody OidcSsoConfigService.Input body) {
        return json(configs.create(actor, body));
    }

    @PatchMapping(BASE + "/config")
    @OrgPermission(subject = OrgSubject.SSO, actions = OrgAction.EDIT)
    public Map<String, Object> update(Actor actor, @RequestBody OidcSsoConfigService.Input body) {
        return json(configs.update(actor, body));
    }

    @GetMapping(BASE + "/login")
    @PublicEndpoint("starts a person's OIDC sign-in: redirects the browser to the organization's identity provider")
    public ResponseEntity<String> start(
            @RequestParam(required = false) String orgSlug, HttpServletRequest request, HttpServletResponse response) {
        if (orgSlug == null || orgSlug.isBlank()) {
            return SsoPages.chooseOrganization(BASE + "/login");
        }
        try {
            OidcSsoLogin.Started s = login.start(orgSlug.strip(), origin(request), ClientInfo.ip(request));
            response.addHeader(
                    HttpHeaders.SET_COOKIE,
                    browserCookie(s.browserBinding(), OidcSsoLogin.STATE_TTL).toString());
            return ResponseEntity.status(302)
                    .header(HttpHeaders.LOCATION, s.authorizationUrl())
                    .header(HttpHeaders.CACHE_CONTROL, "no-store")
                    .build();
        } catch (SsoFailure e) {
            return SsoPages.error(e.status(), e.getMessage());
        }
    }

    @GetMapping(BASE + "/callback")
    @PublicEndpoint("the identity provider's redirect back after a person's OIDC sign-in (state, code)")
    public ResponseEntity<String> callback(
            @RequestParam Map<String, String> params, HttpServletRequest request, HttpServletResponse response) {
        try {
            SsoSignIn.SignedIn s = login.callback(
                    params,
                    cookie(request, BROWSER_COOKIE),
                    ClientInfo.ip(request),
                    ClientInfo.userAgent(request),
                    response);
            // the binding has served; a refused answer leaves it, so the real one can still arrive
            response.addHeader(
                    HttpHeaders.SET_COOKIE, browserCookie("", Duration.ZERO).toString());
            return SsoPages.signedIn(s.email(), siteUrl);
        } catch (SsoFailure e) {
            return SsoPages.error(e.status(), e.getMessage());
        } catch (ApiException e) {
            return SsoPages.error(e.status(), e.getMessage());
        }
    }

    /**
     * The browser binding: HttpOnly, Secure, and SameSite=Lax, since the provider's redirect back is
     * a cross-site top-level navigation that a Strict cookie would not ride on.
     */
    private static ResponseCookie browserCookie(String value, Duration maxAge) {
        return ResponseCookie.from(BROWSER_COOKIE, value)
                .path(COOKIE_PATH)
                .httpOnly(true)
                .secure(true)
                .sameSite("Lax")
                .maxAge(maxAge)
                .build();
    }

    /** The site URL's origin when configured (it must be what the provider has registered), else the request's. */
    private String origin(HttpServletRequest request) {
        if (!siteUrl.isEmpty()) {
            URI u = URI.create(siteUrl);
            return u.getScheme() + "://" + u.getRawAuthority();
        }
        int port = request.getServerPort();
        boolean defaultPort = ("http".equals(request.getScheme()) && port == 80)
                || ("https".equals(request.getScheme()) && port == 443);
        return request.getScheme() + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
    }

    private static String cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (name.equals(c.getName()) && !c.getValue().isEmpty()) {
                return c.getValue();
            }
        }
        return null;
    }

    private static Map<String, Object> json(OidcSsoConfigService.Config c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("orgId", c.orgId());
        m.put("configurationType", c.configurationType());
        m.put("discoveryURL", c.discoveryUrl());
        m.put("issuer", c.issuer());
        m.put("authorizationEndpoint", c.authorizationEndpoint());
        m.put("tokenEndpoint", c.tokenEndpoint());
        m.put("jwksUri", c.jwksUri());
        m.put("userinfoEndpoint", c.userinfoEndpoint());
        m.put("clientId", c.clientId());
        m.put("isActive", c.active());
        m.put("allowedEmailDomains", String.join(",", c.allowedEmailDomains()));
        m.put("manageGroupMemberships", false);
        m.put("jwtSignatureAlgorithm", "RS256");
        m.put("createdAt", Iso.of(c.createdAt()));
        m.put("updatedAt", Iso.of(c.updatedAt()));
        return m;
    }
}
