package dev.keyhaven.cli.agent;

import dev.keyhaven.client.KeyhavenClient;
import dev.keyhaven.client.Token;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import tools.jackson.databind.json.JsonMapper;

/**
 * AWS IAM auth: the workload's AWS credentials sign an {@code sts:GetCallerIdentity} request for
 * the regional endpoint {@code sts.<region>.amazonaws.com} (SigV4, by the AWS SDK's signer); the
 * request is not sent to AWS but posted to {@code /api/v1/auth/aws-auth/login}, whose server sends
 * it to STS to learn who signed it. Credentials come from {@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN} (not the SDK's provider chain, which
 * would add megabytes to the CLI for profiles and metadata services); the region from
 * {@code region} in the config, else {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}. Neither
 * the keys nor the signature is ever logged.
 */
final class AwsAuth implements AuthMethod {
    static final String BODY = "Action=GetCallerIdentity&Version=2011-06-15";
    private static final Set<String> KEYS = Set.of("method", "identityId", "identityIdFile", "identityIdEnv", "region");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d");
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Credential identityId;
    private final String configRegion; // null: from the environment
    private final Map<String, String> env;
    private volatile String lastIdentityId;

    private AwsAuth(Credential identityId, String configRegion, Map<String, String> env) {
        this.identityId = identityId;
        this.configRegion = configRegion;
        this.env = env;
    }

    static AuthMethod fromConfig(ConfigNode auth, Map<String, String> env) {
        auth.allowOnly(KEYS);
        Credential id = Credential.fromConfig(auth, "identityId", "identity id", "KEYHAVEN_IDENTITY_ID");
        String region = auth.text("region");
        AwsAuth a = new AwsAuth(id, region == null || region.isBlank() ? null : region.trim(), env);
        // Fail at start-up, not at the first login, when something is missing.
        a.lastIdentityId = at(auth, "identityId", () -> id.read(env));
        at(auth, region == null ? "method" : "region", a::region);
        a.checkCredentials(auth);
        return a;
    }

    private void checkCredentials(ConfigNode auth) {
        try {
            credentials();
        } catch (AgentConfigException e) {
            throw auth.error("method", e.getMessage());
        }
    }

    private static String at(ConfigNode auth, String key, Supplier<String> read) {
        try {
            return read.get();
        } catch (AgentConfigException e) {
            throw auth.error(key, e.getMessage());
        }
    }

    /** The region to sign for: the config's, else AWS_REGION, else AWS_DEFAULT_REGION. */
    String region() {
        String r = configRegion != null ? configRegion : firstSet("AWS_REGION", "AWS_DEFAULT_REGION");
        if (r == null) {
            throw new AgentConfigException("No AWS region: set region in the auth block, or AWS_REGION or "
                    + "AWS_DEFAULT_REGION (the server refuses requests signed for the global STS endpoint).");
        }
        if (!REGION.matcher(r).matches()) {
            throw new AgentConfigException("'" + r + "' is not an AWS region (e.g. eu-west-1).");
        }
        return r;
    }

    /** The credentials in the standard environment variables, read now. */
    AwsCredentialsIdentity credentials() {
        String key = firstSet("AWS_ACCESS_KEY_ID");
        String secret = firstSet("AWS_SECRET_ACCESS_KEY");
        if (key == null || secret == null) {
            throw new AgentConfigException("No AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                    + "(and AWS_SESSION_TOKEN for temporary credentials) in the agent's environment.");
        }
        String session = firstSet("AWS_SESSION_TOKEN");
        return session == null
                ? AwsCredentialsIdentity.create(key, secret)
                : AwsSessionCredentialsIdentity.create(key, secret, session);
    }

    private String firstSet(String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    /** The headers of the GetCallerIdentity POST for {@code region}, signed now with {@code credentials}. */
    static Map<String, String> sign(AwsCredentialsIdentity credentials, String region) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(stsUrl(region))
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .putHeader("Content-Length", String.valueOf(BODY.getBytes(StandardCharsets.UTF_8).length))
                .build();
        SdkHttpRequest signed = SIGNER.sign(r -> r.identity(credentials)
                        .request(request)
                        .payload(ContentStreamProvider.fromUtf8String(BODY))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region))
                .request();
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : signed.headers().entrySet()) {
            headers.put(h.getKey(), String.join(",", h.getValue()));
        }
        return headers;
    }

    static URI stsUrl(String region) {
        return URI.create("https://sts." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : "") + "/");
    }

    @Override
    public Token login(KeyhavenClient anonymous) {
        String id = identityId.read(env);
        lastIdentityId = id;
        String region = region();
        Map<String, String> headers = sign(credentials(), region);
        return anonymous.awsIamLogin(
                id, b64(stsUrl(region).toString()), b64(BODY), b64(JSON.writeValueAsString(headers)));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String describe() {
        String r;
        try {
            r = region();
        } catch (AgentConfigException e) {
            r = "no region";
        }
        return "AWS IAM auth (identity " + lastIdentityId + ", " + r + ")";
    }
}
