package dev.keyhaven.server.access;

import dev.keyhaven.server.platform.web.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.util.List;
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
 * permission ({@link DeclaredPermission}) is not sent unless a permission check ran while serving
 * it. A forgotten check becomes a 500 and a loud log line, never a data leak.
 *
 * <p>It also compares the checks that ran with the declaration. When none of them is the declared
 * one, the declaration (what the docs and the route table say) has drifted from the code: that is
 * logged as an error and, with {@link AccessProperties#strictDeclarations()} (the test servers),
 * answered with a 500 naming both so the test fails. In production the answer stays what it would
 * have been, since a check did run and refusing would turn a documentation fault into an outage.
 */
@RestControllerAdvice
public class PermissionGuard implements ResponseBodyAdvice<Object> {
    private static final Logger log = LoggerFactory.getLogger(PermissionGuard.class);
    private final boolean strict;

    public PermissionGuard(AccessProperties settings) {
        this.strict = settings.strictDeclarations();
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        Method method = returnType.getMethod();
        return method != null && DeclaredPermission.of(method).isPresent();
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
        if (status >= HttpServletResponse.SC_BAD_REQUEST) {
            return body;
        }
        if (!PermissionTrace.checked()) {
            log.error(
                    "Endpoint {} returned data without running a permission check; refusing the response",
                    returnType.getMethod());
            throw new ApiException(500, "InternalServerError", "Something went wrong");
        }
        List<DeclaredPermission> declared = DeclaredPermission.allOf(returnType.getMethod());
        if (!declared.isEmpty() && declared.stream().noneMatch(d -> d.satisfiedBy(PermissionTrace.checks()))) {
            String mismatch =
                    "Endpoint " + returnType.getMethod().getDeclaringClass().getSimpleName() + "."
                            + returnType.getMethod().getName() + " declares " + declared
                            + " but the checks that ran were " + PermissionTrace.checks();
            log.error("{}", mismatch);
            if (strict) {
                throw new ApiException(500, "InternalServerError", mismatch);
            }
        }
        return body;
    }
}
