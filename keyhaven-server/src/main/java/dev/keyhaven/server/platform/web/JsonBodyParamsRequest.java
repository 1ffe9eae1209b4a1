package dev.keyhaven.server.platform.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request whose parameters follow the Infisical conventions: empty query values count as
 * absent, and on GET and DELETE the top-level scalar fields of a JSON body (which the Infisical
 * CLI sends) fill in parameters the query string lacks. The body stays readable for handlers; a
 * form body is handed on as the equivalent JSON (see {@link FormBody}).
 */
final class JsonBodyParamsRequest extends HttpServletRequestWrapper {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String JSON_TYPE = "application/json";
    private final byte[] body;
    private final Map<String, String[]> params;
    private final boolean fromForm;

    private JsonBodyParamsRequest(
            HttpServletRequest request, byte[] body, Map<String, String[]> params, boolean fromForm) {
        super(request);
        this.body = body;
        this.params = params;
        this.fromForm = fromForm;
    }

    static JsonBodyParamsRequest wrap(HttpServletRequest request, int maxBytes) throws IOException {
        byte[] body = readLimited(request.getInputStream(), maxBytes);
        String method = request.getMethod();
        boolean fromForm = FormBody.isForm(request.getContentType())
                && (body.length > 0 || !("GET".equals(method) || "HEAD".equals(method)));
        if (fromForm) {
            body = FormBody.toJson(body);
        }
        Map<String, String[]> params = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> {
            String[] kept = java.util.Arrays.stream(v)
                    .filter(s -> s != null && !s.isEmpty())
                    .toArray(String[]::new);
            if (kept.length > 0) {
                params.put(k, kept);
            }
        });
        if (body.length > 0 && ("GET".equals(method) || "DELETE".equals(method)) && (fromForm || isJson(request))) {
            try {
                JsonNode node = MAPPER.readTree(body);
                if (node != null && node.isObject()) {
                    for (Map.Entry<String, JsonNode> field : node.properties()) {
                        JsonNode v = field.getValue();
                        if (!params.containsKey(field.getKey()) && v.isValueNode() && !v.isNull()) {
                            String text = v.asString();
                            if (!text.isEmpty()) {
                                params.put(field.getKey(), new String[] {text});
                            }
                        }
                    }
                }
            } catch (RuntimeException ignored) {
                // a malformed body on GET is reported by the handler that reads it, if any
            }
        }
        return new JsonBodyParamsRequest(request, body, params, fromForm);
    }

    private static boolean isJson(HttpServletRequest request) {
        String type = request.getContentType();
        return type == null || type.toLowerCase().contains("json");
    }

    private static byte[] readLimited(InputStream in, int maxBytes) throws IOException {
        byte[] data = in.readNBytes(maxBytes + 1);
        if (data.length > maxBytes) {
            throw ApiException.tooLarge("Request body exceeds " + maxBytes + " bytes");
        }
        return data;
    }

    @Override
    public String getContentType() {
        return fromForm ? JSON_TYPE : super.getContentType();
    }

    @Override
    public String getHeader(String name) {
        return fromForm && "Content-Type".equalsIgnoreCase(name) ? JSON_TYPE : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return fromForm && "Content-Type".equalsIgnoreCase(name)
                ? Collections.enumeration(List.of(JSON_TYPE))
                : super.getHeaders(name);
    }

    @Override
    public String getParameter(String name) {
        String[] v = params.get(name);
        return v == null ? null : v[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return Collections.unmodifiableMap(params);
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(params.keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        return params.get(name);
    }

    @Override
    public ServletInputStream getInputStream() {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException("synchronous reads only");
            }

            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }
        };
    }

    @Override
    public BufferedReader getReader() {
        return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public int getContentLength() {
        return body.length;
    }

    @Override
    public long getContentLengthLong() {
        return body.length;
    }
}
