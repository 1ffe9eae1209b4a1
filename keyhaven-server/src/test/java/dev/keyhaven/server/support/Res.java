package dev.keyhaven.server.support;

import java.net.http.HttpHeaders;
import tools.jackson.databind.JsonNode;

/** A response as tests look at it: status, JSON body (or null when empty) and headers. */
public record Res(int status, JsonNode body, String raw, HttpHeaders headers) {
    public JsonNode json(String field) {
        return body.get(field);
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
        return status + " " + raw;
    }
}
