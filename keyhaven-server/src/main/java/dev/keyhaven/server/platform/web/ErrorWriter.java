package dev.keyhaven.server.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;

/** Writes an error body from a filter, where the controller advice does not reach. */
public final class ErrorWriter {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ErrorWriter() {}

    public static void write(HttpServletRequest request, HttpServletResponse response, ApiException e)
            throws IOException {
        response.setStatus(e.status());
        response.setContentType("application/json");
        response.getOutputStream().write(json(request, e).getBytes(StandardCharsets.UTF_8));
    }

    /** The error body of {@code e} as JSON text. */
    static String json(HttpServletRequest request, ApiException e) {
        var entity = ApiErrorHandler.body(request, e.status(), e.error(), e.getMessage(), e.details());
        return MAPPER.writeValueAsString(entity.getBody());
    }
}
