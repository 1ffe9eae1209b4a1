package dev.keyhaven.server.identity;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The signed {@code sts:GetCallerIdentity} request a client hands over to log in (base64 body,
 * base64 JSON headers), decoded and checked before it is replayed: the body must be exactly the
 * GetCallerIdentity call, the region comes from the {@code Authorization} credential scope and must
 * look like an AWS region, the request must be signed for {@code sts.<region>.amazonaws.com} and
 * at most 15 minutes away from now. The server never takes a URL or host from the client: the
 * region picks the STS endpoint, nothing else does.
 */
record AwsSignedRequest(String region, String stsHost, List<Map.Entry<String, String>> headers, byte[] body) {
    static final String BODY = "Action=GetCallerIdentity&Version=2011-06-15";
    static final Pattern REGION = Pattern.compile("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d$");
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final int MAX_HEADERS_BASE64 = 16 * 1024;
    private static final int MAX_HEADERS = 32;
    private static final int MAX_HEADER_VALUE = 8 * 1024;
    private static final Pattern HEADER_NAME = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
    /** Set by the HTTP client itself (Host: by us, from the region), or meaningless on a replay. */
    private static final Set<String> NOT_FORWARDED = Set.of(
            "host",
            "content-length",
            "connection",
            "keep-alive",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "expect");

    /** The STS host of a region: what the client must have signed, and the server calls. */
    static String stsHost(String region) {
        return "sts." + region + (region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com");
    }

    static AwsSignedRequest parse(
            String method, String bodyBase64, String headersBase64, Instant now, ObjectMapper json) {
        if (method != null && !method.equalsIgnoreCase("POST")) {
            throw AwsLoginRejected.malformed("iamHttpRequestMethod must be POST");
        }
        if (bodyBase64.length() > 1024) {
            throw AwsLoginRejected.malformed("iamRequestBody must be " + BODY);
        }
        byte[] body = decode(bodyBase64, "iamRequestBody");
        if (!BODY.equals(new String(body, StandardCharsets.UTF_8))) {
            throw AwsLoginRejected.malformed("iamRequestBody must be " + BODY);
        }
        if (headersBase64.length() > MAX_HEADERS_BASE64) {
            throw AwsLoginRejected.malformed("iamRequestHeaders is too large");
        }
        List<Map.Entry<String, String>> all = headers(decode(headersBase64, "iamRequestHeaders"), json);
        String authorization = header(all, "authorization");
        if (authorization == null) {
            throw AwsLoginRejected.malformed("iamRequestHeaders has no Authorization header");
        }
        String region = region(authorization);
        String host = stsHost(region);
        String signedHost = header(all, "host");
        if (signedHost != null && !signedHost.equalsIgnoreCase(host)) {
            throw AwsLoginRejected.denied("the request is signed for another host than " + host);
        }
        checkDate(header(all, "x-amz-date"), now);
        List<Map.Entry<String, String>> forwarded = new ArrayList<>();
        for (Map.Entry<String, String> h : all) {
            if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                forwarded.add(h);
            }
        }
        return new AwsSignedRequest(region, host, List.copyOf(forwarded), body);
    }

    private static byte[] decode(String base64, String field) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw AwsLoginRejected.malformed(field + " is not valid base64");
        }
    }

    private static List<Map.Entry<String, String>> headers(byte[] raw, ObjectMapper json) {
        JsonNode node;
        try {
            node = json.readTree(raw);
        } catch (JacksonException e) {
            throw AwsLoginRejected.malformed("iamRequestHeaders is not base64 of a JSON object");
        }
        if (node == null || !node.isObject()) {
            throw AwsLoginRejected.malformed("iamRequestHeaders is not base64 of a JSON object");
        }
        if (node.size() > MAX_HEADERS) {
            throw AwsLoginRejected.malformed("iamRequestHeaders has more than " + MAX_HEADERS + " headers");
        }
        List<Map.Entry<String, String>> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String name = e.getKey();
            // some clients serialise a header as a list of its values; a signed request has one value each
            JsonNode v = e.getValue().isArray() && e.getValue().size() == 1
                    ? e.getValue().get(0)
                    : e.getValue();
            if (!HEADER_NAME.matcher(name).matches() || !v.isString()) {
                throw AwsLoginRejected.malformed("iamRequestHeaders must map header names to strings");
            }
            String value = v.asString();
            if (value.length() > MAX_HEADER_VALUE || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw AwsLoginRejected.malformed("iamRequestHeaders has an invalid value for " + name);
            }
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                throw AwsLoginRejected.malformed("iamRequestHeaders names " + name + " twice");
            }
            out.add(Map.entry(name, value));
        }
        return out;
    }

    private static String header(List<Map.Entry<String, String>> headers, String lowerName) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().toLowerCase(Locale.ROOT).equals(lowerName)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** The region of {@code AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/sts/aws4_request, …}. */
    private static String region(String authorization) {
        String a = authorization.trim();
        if (!a.startsWith("AWS4-HMAC-SHA256 ")) {
            throw AwsLoginRejected.malformed("the Authorization header is not an AWS4-HMAC-SHA256 signature");
        }
        String scope = null;
        for (String part : a.substring("AWS4-HMAC-SHA256 ".length()).split(",")) {
            String p = part.trim();
            if (p.startsWith("Credential=")) {
                scope = p.substring("Credential=".length());
            }
        }
        String[] s = scope == null ? new String[0] : scope.split("/", -1);
        if (s.length != 5 || !s[4].equals("aws4_request")) {
            throw AwsLoginRejected.malformed("the Authorization header has no credential scope");
        }
        if (!REGION.matcher(s[2]).matches()) {
            throw AwsLoginRejected.malformed("Invalid AWS region");
        }
        if (!s[3].equals("sts")) {
            throw AwsLoginRejected.denied("the request is not signed for the sts service");
        }
        return s[2];
    }

    /** STS refuses a signature more than 15 minutes off; refusing it here saves the call. */
    private static void checkDate(String amzDate, Instant now) {
        if (amzDate == null) {
            throw AwsLoginRejected.malformed("iamRequestHeaders has no X-Amz-Date header");
        }
        Instant signed;
        try {
            signed = LocalDateTime.parse(amzDate.trim(), AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw AwsLoginRejected.malformed("X-Amz-Date is not of the form yyyyMMddTHHmmssZ");
        }
        if (Duration.between(signed, now).abs().compareTo(MAX_SKEW) > 0) {
            throw AwsLoginRejected.denied(
                    "the request was signed more than 15 minutes " + (signed.isBefore(now) ? "ago" : "in the future"));
        }
    }
}
