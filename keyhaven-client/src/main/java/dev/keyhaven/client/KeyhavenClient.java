package dev.keyhaven.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small client for the Infisical-compatible Keyhaven API, on {@link HttpURLConnection} (and the
 * JDK {@link HttpClient} for PATCH only, which is slower to start). Every failure
 * is a {@link KeyhavenException} whose subclass tells what went wrong and whose message is the
 * server's own (for a permission denial it names the action and the subject).
 */
public final class KeyhavenClient {
    /** The databind mapper ({@link Json#MAPPER}); built on first use. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final TokenRenewal renewal;
    private volatile String token; // replaced by a renewal after the server rejected it
    private HttpClient http; // only for PATCH, which HttpURLConnection cannot send; built on first use

    public KeyhavenClient(String baseUrl, String token) {
        this(stripSlash(baseUrl), token, null);
    }

    private KeyhavenClient(String strippedBaseUrl, String token, TokenRenewal renewal) {
        this.baseUrl = strippedBaseUrl;
        this.token = token;
        this.renewal = renewal;
    }

    /**
     * Renews a token the server rejected (401, or 403 {@code TokenError}: expired, e.g. after the
     * local clock said it was still good). Returns the token to retry with, or {@code null} when
     * there is none; may throw to stop with its own message.
     */
    @FunctionalInterface
    public interface TokenRenewal {
        String renewAfterRejection(String rejectedToken);
    }

    /** This client with {@code renewal} asked once per request when the server rejects the token. */
    public KeyhavenClient withRenewal(TokenRenewal renewal) {
        return new KeyhavenClient(baseUrl, token, renewal);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public KeyhavenClient withToken(String newToken) {
        return new KeyhavenClient(baseUrl, newToken);
    }

    // ---- auth -------------------------------------------------------------------------------

    public Token universalAuthLogin(String clientId, String clientSecret) {
        ObjectNode body = Json.Databind.MAPPER
                .createObjectNode()
                .put("clientId", clientId)
                .put("clientSecret", clientSecret);
        return token(
                send("POST", "/api/v1/auth/universal-auth/login", body, false).body());
    }

    /**
     * A machine login with a signed token (a JWT) the identity already holds: {@code route} is
     * {@code kubernetes-auth}, {@code jwt-auth} or {@code oidc-auth}.
     */
    public Token jwtLogin(String route, String identityId, String jwt) {
        ObjectNode body = Json.Databind.MAPPER
                .createObjectNode()
                .put("identityId", identityId)
                .put("jwt", jwt);
        return token(
                send("POST", "/api/v1/auth/" + route + "/login", body, false).body());
    }

    /**
     * AWS IAM login: a SigV4-signed {@code sts:GetCallerIdentity} POST, given as the request URL,
     * body and signed headers (each base64 as Infisical's route expects: the headers as a JSON
     * object). The server forwards it to STS and reads back who signed it.
     */
    public Token awsIamLogin(String identityId, String requestUrlB64, String requestBodyB64, String requestHeadersB64) {
        ObjectNode body = Json.Databind.MAPPER
                .createObjectNode()
                .put("identityId", identityId)
                .put("iamHttpRequestMethod", "POST")
                .put("iamRequestUrl", requestUrlB64)
                .put("iamRequestBody", requestBodyB64)
                .put("iamRequestHeaders", requestHeadersB64);
        return token(send("POST", "/api/v1/auth/aws-auth/login", body, false).body());
    }

    public Token renew(String accessToken) {
        return token(send(
                        "POST",
                        "/api/v1/auth/token/renew",
                        Json.Databind.MAPPER.createObjectNode().put("accessToken", accessToken),
                        false)
                .body());
    }

    public void revoke(String accessToken) {
        send(
                "POST",
                "/api/v1/auth/token/revoke",
                Json.Databind.MAPPER.createObjectNode().put("accessToken", accessToken),
                false);
    }

    // ---- people (e-mail and password, second factor, sessions) --------------------------------

    /** The first login step: a session, or a second-factor challenge to answer with {@link #verifyMfa}. */
    public PasswordLogin passwordLogin(String email, String password, String organizationId) {
        ObjectNode body =
                Json.Databind.MAPPER.createObjectNode().put("email", email).put("password", password);
        if (organizationId != null && !organizationId.isBlank()) {
            body.put("organizationId", organizationId);
        }
        JsonNode b = send("POST", "/api/v1/auth/login", body, false).body();
        if (b.path("mfaRequired").asBoolean(false)) {
            return new PasswordLogin(
                    null, b.path("mfaToken").asString(), b.path("mfaMethod").asString("totp"));
        }
        return new PasswordLogin(userTokens(b), null, null);
    }

    /** The second login step: a TOTP or e-mail {@code code}, or a {@code recoveryCode} (give one of them). */
    public UserTokens verifyMfa(String mfaToken, String code, String recoveryCode) {
        ObjectNode body = Json.Databind.MAPPER.createObjectNode().put("mfaToken", mfaToken);
        if (recoveryCode != null) {
            body.put("recoveryCode", recoveryCode);
        } else {
            body.put("code", code);
        }
        return userTokens(send("POST", "/api/v1/auth/mfa/verify", body, false).body());
    }

    /** A new token pair for a single-use refresh token; the old refresh token stops working. */
    public UserTokens refreshSession(String refreshToken) {
        return userTokens(send(
                        "POST",
                        "/api/v1/auth/session/refresh",
                        Json.Databind.MAPPER.createObjectNode().put("refreshToken", refreshToken),
                        false)
                .body());
    }

    /** Ends the session of this client's (person's) access token. */
    public void logout() {
        send("POST", "/api/v1/auth/logout", null, true);
    }

    private static UserTokens userTokens(JsonNode b) {
        String org = b.path("organizationId").asString("");
        return new UserTokens(
                b.path("accessToken").asString(),
                b.path("refreshToken").asString(),
                b.path("expiresIn").asLong(),
                org.isEmpty() ? null : org,
                b.path("mfaEnrollmentRequired").asBoolean(false));
    }

    private static Token token(JsonNode b) {
        return new Token(
                b.path("accessToken").asString(),
                b.path("expiresIn").asLong(),
                b.path("accessTokenMaxTTL").asLong(),
                b.path("tokenType").asString("Bearer"));
    }

    // ---- secrets ----------------------------------------------------------------------------

    public SecretList listSecrets(SecretQuery q) {
        return listSecrets(q, null);
    }

    /**
     * The secrets, or {@code null} when {@code ifNoneMatch} (an ETag of an earlier answer) still
     * matches: the server then answers 304 Not Modified. Read with the streaming parser (start-up path).
     */
    public SecretList listSecrets(SecretQuery q, String ifNoneMatch) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("workspaceId", q.projectId());
        params.put("environment", q.environment());
        params.put("secretPath", path(q.secretPath()));
        params.put("expandSecretReferences", String.valueOf(q.expand()));
        params.put("include_imports", String.valueOf(q.includeImports()));
        params.put("recursive", String.valueOf(q.recursive()));
        Raw res = exchange("GET", "/api/v3/secrets/raw" + query(params), null, true, ifNoneMatch);
        if (res.status() == 304) {
            return null;
        }
        if (res.status() < 200 || res.status() >= 300) {
            throw error(res, parse(res.body()));
        }
        return secretList(Json.parse(res.body()), res.etag());
    }

    /** A secret list from a parsed {@code /api/v3/secrets/raw} answer (also used for the offline cache). */
    public static SecretList secretList(Object body, String etag) {
        List<Secret> secrets = plainSecrets(Json.list(body, "secrets"));
        List<SecretImport> imports = new ArrayList<>();
        for (Object imp : Json.list(body, "imports")) {
            imports.add(new SecretImport(
                    Json.str(imp, "environment", ""),
                    Json.str(imp, "secretPath", ""),
                    plainSecrets(Json.list(imp, "secrets"))));
        }
        return new SecretList(secrets, List.copyOf(imports), etag);
    }

    private static List<Secret> plainSecrets(List<?> arr) {
        List<Secret> out = new ArrayList<>(arr.size());
        for (Object s : arr) {
            out.add(new Secret(
                    Json.str(s, "id", Json.str(s, "_id", "")),
                    Json.str(s, "secretKey", ""),
                    Json.str(s, "secretValue", ""),
                    Json.str(s, "secretComment", ""),
                    Json.str(s, "environment", ""),
                    Json.str(s, "secretPath", ""),
                    (int) Json.num(s, "version", 0),
                    Json.str(s, "type", "shared"),
                    Boolean.parseBoolean(Json.str(s, "secretValueHidden", "false"))));
        }
        return List.copyOf(out);
    }

    /** One secret; with {@code includeImports} a key not in the folder is looked up in its imports. */
    public Secret getSecret(SecretQuery q, String key) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("workspaceId", q.projectId());
        params.put("environment", q.environment());
        params.put("secretPath", path(q.secretPath()));
        params.put("type", "shared");
        params.put("expandSecretReferences", String.valueOf(q.expand()));
        params.put("include_imports", String.valueOf(q.includeImports()));
        return secret(send("GET", "/api/v3/secrets/raw/" + segment(key) + query(params), null, true)
                .body()
                .path("secret"));
    }

    /** What {@link #setSecret} did. */
    public enum SetResult {
        CREATED,
        UPDATED
    }

    /** Updates the secret, or creates it when it does not exist yet (PATCH, then POST on 404). */
    public SetResult setSecret(SecretQuery q, String key, String value) {
        ObjectNode body = writeBody(q).put("secretValue", value);
        try {
            send("PATCH", "/api/v3/secrets/raw/" + segment(key), body, true);
            return SetResult.UPDATED;
        } catch (KeyhavenException.NotFound e) {
            send("POST", "/api/v3/secrets/raw/" + segment(key), body, true);
            return SetResult.CREATED;
        }
    }

    public void deleteSecret(SecretQuery q, String key) {
        send("DELETE", "/api/v3/secrets/raw/" + segment(key), writeBody(q), true);
    }

    private static ObjectNode writeBody(SecretQuery q) {
        return Json.Databind.MAPPER
                .createObjectNode()
                .put("workspaceId", q.projectId())
                .put("environment", q.environment())
                .put("secretPath", path(q.secretPath()))
                .put("type", "shared");
    }

    // ---- folders and environments -----------------------------------------------------------

    /** Names of the folders directly under {@code path}. */
    public List<String> listFolders(String projectId, String environment, String path) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("workspaceId", projectId);
        params.put("environment", environment);
        params.put("path", path(path));
        List<String> out = new ArrayList<>();
        for (JsonNode f : send("GET", "/api/v1/folders" + query(params), null, true)
                .body()
                .path("folders")) {
            out.add(f.path("name").asString());
        }
        return out;
    }

    /** One import of a folder: the source environment slug and path, and its position (1 = first). */
    public record FolderImport(String id, String environment, String path, int position) {}

    /** The imports of a folder, in their order ({@code GET /api/v1/secret-imports}). */
    public List<FolderImport> listImports(String projectId, String environment, String path) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("workspaceId", projectId);
        params.put("environment", environment);
        params.put("path", path(path));
        List<FolderImport> out = new ArrayList<>();
        for (JsonNode i : send("GET", "/api/v1/secret-imports" + query(params), null, true)
                .body()
                .path("secretImports")) {
            out.add(new FolderImport(
                    i.path("id").asString(""),
                    i.path("importEnv").path("slug").asString(""),
                    i.path("importPath").asString(""),
                    i.path("position").asInt()));
        }
        out.sort(java.util.Comparator.comparingInt(FolderImport::position));
        return out;
    }

    /** The project's environments as slug to name, in the server's order. */
    public Map<String, String> listEnvironments(String projectId) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode ws = send("GET", "/api/v1/workspace/" + segment(projectId), null, true)
                .body()
                .path("workspace");
        for (JsonNode e : ws.path("environments")) {
            out.put(e.path("slug").asString(), e.path("name").asString());
        }
        return out;
    }

    // ---- raw access -------------------------------------------------------------------------

    /** A raw response: status, parsed body (an empty object when there is none) and the ETag. */
    public record Response(int status, JsonNode body, String etag) {}

    /**
     * Sends a request with the bearer token (when {@code authenticated}) and a JSON body (or none),
     * and maps error statuses to {@link KeyhavenException}s. Public for tools and tests.
     */
    public Response send(String method, String path, Object body, boolean authenticated) {
        Raw res = exchange(
                method, path, body == null ? null : Json.Databind.MAPPER.writeValueAsString(body), authenticated, null);
        JsonNode parsed = parse(res.body());
        if (res.status() >= 200 && res.status() < 300) {
            return new Response(res.status(), parsed, res.etag());
        }
        throw error(res, parsed);
    }

    /** Status, body text, ETag and Retry-After of one exchange. */
    private record Raw(int status, String body, String etag, String retryAfter) {}

    /**
     * One exchange, and with a {@link TokenRenewal} a second one with the renewed token when the
     * server rejected the first (it did nothing then, so sending the request again is safe).
     */
    private Raw exchange(String method, String path, String json, boolean authenticated, String ifNoneMatch) {
        String sent = token;
        Raw res = exchangeOnce(method, path, json, authenticated, ifNoneMatch);
        if (authenticated && renewal != null && rejectsToken(res)) {
            String renewed = renewal.renewAfterRejection(sent);
            if (renewed != null && !renewed.equals(sent)) {
                token = renewed;
                res = exchangeOnce(method, path, json, authenticated, ifNoneMatch);
            }
        }
        return res;
    }

    private static boolean rejectsToken(Raw res) {
        return res.status() == 401
                || (res.status() == 403
                        && "TokenError".equals(parse(res.body()).path("error").asString("")));
    }

    /**
     * One HTTP exchange. GET, POST and DELETE go through {@link HttpURLConnection}, which, unlike
     * {@link HttpClient}, does not set up TLS for a plain http:// URL (a few hundred ms at start-up).
     */
    private Raw exchangeOnce(String method, String path, String json, boolean authenticated, String ifNoneMatch) {
        if (authenticated && (token == null || token.isBlank())) {
            throw new KeyhavenException.Unauthenticated(401, "Unauthorized", "Token missing");
        }
        if ("PATCH".equals(method)) {
            return exchangeHttpClient(method, path, json, authenticated);
        }
        try {
            HttpURLConnection c =
                    (HttpURLConnection) URI.create(baseUrl + path).toURL().openConnection();
            c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            c.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
            c.setRequestMethod(method);
            c.setUseCaches(false);
            c.setInstanceFollowRedirects(false); // as the JDK HttpClient: never send the token elsewhere
            c.setRequestProperty("Accept", "application/json");
            c.setRequestProperty("User-Agent", "keyhaven-cli");
            if (authenticated) {
                c.setRequestProperty("Authorization", "Bearer " + token);
            }
            if (ifNoneMatch != null) {
                c.setRequestProperty("If-None-Match", ifNoneMatch);
            }
            if (json != null) {
                byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                c.setRequestProperty("Content-Type", "application/json");
                c.setDoOutput(true);
                // no streaming mode: in it the JDK drops the body of a 401 (HttpRetryException), and with
                // it the server's reason ("Invalid e-mail or password", "Refresh token was already used")
                try (OutputStream out = c.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = "";
            if (in != null) {
                try (in) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return new Raw(status, text, c.getHeaderField("ETag"), c.getHeaderField("Retry-After"));
        } catch (SocketTimeoutException e) {
            if (e.getMessage() != null
                    && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connect")) {
                throw unreachable(e);
            }
            throw new KeyhavenException.Unreachable(
                    "The Keyhaven server at " + baseUrl + " did not answer within " + REQUEST_TIMEOUT.toSeconds()
                            + " s",
                    e);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (IllegalArgumentException e) {
            throw new KeyhavenException(0, "BadUrl", "Invalid server URL " + baseUrl + path + ": " + e.getMessage(), e);
        }
    }

    private synchronized HttpClient httpClient() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        }
        return http;
    }

    private Raw exchangeHttpClient(String method, String path, String json, boolean authenticated) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("User-Agent", "keyhaven-cli");
        if (authenticated) {
            req.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            req.header("Content-Type", "application/json");
            req.method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            req.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> res;
        try {
            res = httpClient().send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw unreachable(e);
        } catch (HttpTimeoutException e) {
            throw new KeyhavenException.Unreachable(
                    "The Keyhaven server at " + baseUrl + " did not answer within " + REQUEST_TIMEOUT.toSeconds()
                            + " s",
                    e);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeyhavenException(0, "Interrupted", "interrupted while talking to " + baseUrl, e);
        }
        return new Raw(
                res.statusCode(),
                res.body(),
                res.headers().firstValue("etag").orElse(null),
                res.headers().firstValue("retry-after").orElse(null));
    }

    private KeyhavenException.Unreachable unreachable(Exception e) {
        String detail = null;
        for (Throwable t = e; t != null && detail == null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                detail = t.getMessage();
            }
        }
        if (detail == null) {
            detail = e instanceof ConnectException
                    ? "connection refused"
                    : e.getClass().getSimpleName();
        }
        return new KeyhavenException.Unreachable(
                "Cannot reach the Keyhaven server at " + baseUrl + " (" + detail + ")", e);
    }

    private static KeyhavenException error(Raw res, JsonNode body) {
        int status = res.status();
        String error = body.path("error").asString("");
        String message = message(body, res.body(), status);
        if (status == 429) {
            return new KeyhavenException.RateLimited(status, error, message, retryAfterSeconds(res.retryAfter()));
        }
        if (status == 401 || (status == 403 && "TokenError".equals(error))) {
            return new KeyhavenException.Unauthenticated(status, error, message);
        }
        if (status == 403) {
            return "PermissionDenied".equals(error) || !error.isEmpty()
                    ? new KeyhavenException.PermissionDenied(status, error, message)
                    : new KeyhavenException.Unauthenticated(status, error, message);
        }
        if (status == 404) {
            return new KeyhavenException.NotFound(status, error, message);
        }
        if (status == 400 || status == 422) {
            return new KeyhavenException.Invalid(status, error, message);
        }
        return new KeyhavenException(status, error, message);
    }

    /** Retry-After in seconds (delta-seconds form; the server sends no dates), 0 when absent or unreadable. */
    private static long retryAfterSeconds(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The server's message; for a 422 the zod issues as {@code field: message; ...}. */
    private static String message(JsonNode body, String raw, int status) {
        JsonNode m = body.path("message");
        if (m.isString()) {
            return m.asString();
        }
        if (m.isArray()) {
            StringJoiner j = new StringJoiner("; ");
            for (JsonNode issue : m) {
                StringJoiner p = new StringJoiner(".");
                for (JsonNode seg : issue.path("path")) {
                    p.add(seg.asString());
                }
                String field = p.toString();
                String msg = issue.path("message").asString(issue.toString());
                j.add(field.isEmpty() ? msg : field + ": " + msg);
            }
            return j.toString();
        }
        return raw == null || raw.isBlank() ? "HTTP " + status : raw;
    }

    private static JsonNode parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return Json.Databind.MAPPER.createObjectNode();
        }
        try {
            return Json.Databind.MAPPER.readTree(raw);
        } catch (JacksonException e) {
            return Json.Databind.MAPPER.createObjectNode();
        }
    }

    private static Secret secret(JsonNode s) {
        String id = s.path("id").asString(s.path("_id").asString(""));
        return new Secret(
                id,
                s.path("secretKey").asString(),
                s.path("secretValue").asString(""),
                s.path("secretComment").asString(""),
                s.path("environment").asString(""),
                s.path("secretPath").asString(""),
                s.path("version").asInt(),
                s.path("type").asString("shared"),
                s.path("secretValueHidden").asBoolean(false));
    }

    static String path(String p) {
        if (p == null || p.isBlank()) {
            return "/";
        }
        String t = p.trim();
        if (!t.startsWith("/")) {
            t = "/" + t;
        }
        while (t.length() > 1 && t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    private static String query(Map<String, String> params) {
        StringJoiner j = new StringJoiner("&", "?", "");
        params.forEach((k, v) -> {
            if (v != null) {
                j.add(enc(k) + "=" + enc(v));
            }
        });
        return j.toString();
    }

    private static String segment(String s) {
        return enc(s).replace("+", "%20");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String stripSlash(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        if (u.endsWith("/api")) {
            u = u.substring(0, u.length() - 4);
        }
        return u;
    }
}
