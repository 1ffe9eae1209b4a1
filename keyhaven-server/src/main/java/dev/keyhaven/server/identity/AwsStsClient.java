package dev.keyhaven.server.identity;

import dev.keyhaven.server.platform.config.KeyhavenProperties;
import dev.keyhaven.server.platform.config.StartupException;
import dev.keyhaven.server.platform.outbound.OutboundHttp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Replays a client's signed GetCallerIdentity request to AWS STS and reads who signed it. The URL
 * is {@code https://sts.<region>.amazonaws.com/} for the region the request was signed for, or the
 * operator's {@code KEYHAVEN_AWS_STS_ENDPOINT_TEMPLATE} (a VPC endpoint, a proxy, a test stand-in;
 * {@code {region}} is replaced); either way the request carries {@code Host: sts.<region>.amazonaws.com},
 * the host the client signed. Calls go through {@link OutboundHttp} (SSRF guard, timeouts, size
 * limit, no redirects); answers are parsed with DTDs and external entities off.
 */
@Component
class AwsStsClient {
    private static final Pattern ACCOUNT_ID = Pattern.compile("^\\d{12}$");
    private static final Pattern ERROR_CODE = Pattern.compile("^[A-Za-z0-9.]{1,64}$");
    private static final int MAX_ARN = 2048;

    /** Who signed the request, as STS reports it. */
    record CallerIdentity(String account, String arn, String userId) {}

    private final OutboundHttp http;
    private final ObjectMapper json;
    private final String template;

    AwsStsClient(OutboundHttp http, ObjectMapper json, KeyhavenProperties props) {
        this.http = http;
        this.json = json;
        this.template = props.awsStsEndpointTemplate();
        if (template != null) {
            checkTemplate(template);
        }
    }

    static void checkTemplate(String template) {
        try {
            URI u = URI.create(template.replace("{region}", "us-east-1"));
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase();
            if ((scheme.equals("https") || scheme.equals("http"))
                    && u.getHost() != null
                    && u.getRawUserInfo() == null
                    && u.getRawQuery() == null
                    && u.getRawFragment() == null) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new StartupException("KEYHAVEN_AWS_STS_ENDPOINT_TEMPLATE must be an http(s) URL without user, query or "
                + "fragment, e.g. https://sts.{region}.amazonaws.com/ (got " + template + ")");
    }

    /** Where the request for {@code region} goes; the region was validated against a strict pattern. */
    String endpoint(String region) {
        return template == null
                ? "https://" + AwsSignedRequest.stsHost(region) + "/"
                : template.replace("{region}", region);
    }

    CallerIdentity getCallerIdentity(AwsSignedRequest request) {
        String url = endpoint(request.region());
        List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers());
        if (!request.stsHost().equalsIgnoreCase(URI.create(url).getRawAuthority())) {
            headers.add(Map.entry("Host", request.stsHost()));
        }
        OutboundHttp.Response res;
        try {
            res = http.post(url, headers, request.body(), null);
        } catch (OutboundHttp.OutboundException e) {
            throw AwsLoginRejected.upstream("cannot call STS: " + e.getMessage());
        }
        String body = res.body().trim();
        if (res.status() != 200) {
            // only the error code: AWS messages can quote the canonical request, session token included
            String code = errorCode(body);
            throw AwsLoginRejected.denied("STS refused the signed request: " + code + " (status " + res.status() + ")");
        }
        CallerIdentity caller = body.startsWith("{") ? fromJson(body) : fromXml(body);
        if (caller == null
                || !ACCOUNT_ID.matcher(caller.account()).matches()
                || caller.arn().isEmpty()
                || caller.arn().length() > MAX_ARN) {
            throw AwsLoginRejected.upstream("STS answered without a valid GetCallerIdentityResult");
        }
        return caller;
    }

    private CallerIdentity fromJson(String body) {
        try {
            JsonNode r = json.readTree(body).path("GetCallerIdentityResponse").path("GetCallerIdentityResult");
            return new CallerIdentity(
                    r.path("Account").asString(""),
                    r.path("Arn").asString(""),
                    r.path("UserId").asString(""));
        } catch (JacksonException e) {
            return null;
        }
    }

    private static CallerIdentity fromXml(String body) {
        Document doc = parseXml(body);
        if (doc == null) {
            return null;
        }
        NodeList results = doc.getElementsByTagNameNS("*", "GetCallerIdentityResult");
        if (results.getLength() != 1) {
            return null;
        }
        Element r = (Element) results.item(0);
        return new CallerIdentity(text(r, "Account"), text(r, "Arn"), text(r, "UserId"));
    }

    private String errorCode(String body) {
        String code = null;
        if (body.startsWith("{")) {
            try {
                code = json.readTree(body).path("Error").path("Code").asString(null);
            } catch (JacksonException e) {
                code = null;
            }
        } else {
            Document doc = parseXml(body);
            if (doc != null) {
                NodeList codes = doc.getElementsByTagNameNS("*", "Code");
                code = codes.getLength() > 0 ? codes.item(0).getTextContent().trim() : null;
            }
        }
        return code != null && ERROR_CODE.matcher(code).matches() ? code : "unknown error";
    }

    private static String text(Element parent, String name) {
        NodeList n = parent.getElementsByTagNameNS("*", name);
        return n.getLength() == 1 ? n.item(0).getTextContent().trim() : "";
    }

    /** Parses XML with DTDs, external entities and XInclude off (no XXE); null when it is not XML. */
    static Document parseXml(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new DefaultHandler()); // throws on fatal errors, prints nothing
            return b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (ParserConfigurationException | SAXException | IOException | IllegalArgumentException e) {
            return null; // not XML, or a parser that cannot be made safe: either way nothing is read
        }
    }
}
