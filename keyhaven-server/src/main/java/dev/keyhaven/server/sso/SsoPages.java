package dev.keyhaven.server.sso;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.HtmlUtils;

/**
 * The plain server pages single sign-on needs until the dashboard has its own: choosing an
 * organization, the page after a successful sign-in, and the error page. Every value is
 * HTML-escaped; the pages load nothing and run no script.
 */
final class SsoPages {
    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";

    private SsoPages() {}

    static ResponseEntity<String> chooseOrganization(String loginPath) {
        return page(
                200,
                "Sign in with single sign-on",
                "<p>Enter your organization's slug to sign in with its identity provider.</p>"
                        + "<form method=\"get\" action=\"" + esc(loginPath) + "\">"
                        + "<label>Organization slug <input name=\"orgSlug\" required maxlength=\"64\"></label> "
                        + "<button type=\"submit\">Continue</button></form>");
    }

    static ResponseEntity<String> signedIn(String email, String siteUrl) {
        String next = siteUrl == null || siteUrl.isBlank() ? "/" : siteUrl;
        return page(
                200,
                "Signed in",
                "<p>You are signed in as <strong>" + esc(email) + "</strong>.</p><p><a id=\"continue\" href=\""
                        + esc(next) + "\">Continue to Keyhaven</a></p>");
    }

    static ResponseEntity<String> error(int status, String message) {
        return page(
                status,
                "Sign-in failed",
                "<p id=\"error\">" + esc(message) + "</p><p><a href=\"/api/v1/sso/oidc/login\">Start again</a></p>");
    }

    private static ResponseEntity<String> page(int status, String title, String body) {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title)
                + " · Keyhaven</title><style>body{font-family:sans-serif;max-width:36rem;margin:4rem auto}</style>"
                + "</head><body><h1>" + esc(title) + "</h1>" + body + "</body></html>";
        return ResponseEntity.status(status)
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Content-Security-Policy", CSP)
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .body(html);
    }

    private static String esc(String s) {
        return HtmlUtils.htmlEscape(s == null ? "" : s);
    }
}
