package dev.keyhaven.server.access;

import dev.keyhaven.server.platform.web.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Deny by default at the last moment: a successful response from an endpoint that declares a
 * {@link Permission} is not sent unless a permission check ran while serving it. A forgotten
 * check becomes a 500 and a loud log line, never a data leak.
 */
@RestControllerAdvice
public class PermissionGuard implements ResponseBodyAdvice<Object> {
    private static final Logger log = LoggerFactory.getLogger(PermissionGuard.class);

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return returnType.hasMethodAnnotation(Permission.class);
    }

    @Override
    public Object beforeBodyWrite(
            Object body,
            MethodParameter returnType,
            MediaType contentType,
            Class<? extends HttpMessageConverter<?>> converterType,
            ServerHttpRequest request,
            ServerHttpResponse response) {
        int status = response instanceof ServletServerHttpResponse s
                ? s.getServletResponse().getStatus()
                : 200;
        if (status < HttpServletResponse.SC_BAD_REQUEST && !PermissionTrace.checked()) {
            log.error(
                    "Endpoint {} returned data without running a permission check; refusing the response",
                    returnType.getMethod());
            throw new ApiException(500, "InternalServerError", "Something went wrong");
        }
        return body;
    }
}
