package dev.keyhaven.server.platform.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code /error}), for failures that happen outside a
 * controller (a method the container refuses, an exception in a filter): the standard error body
 * instead of Spring Boot's {@code {timestamp, status, error, path}}. Requested directly it is
 * just an unknown route.
 */
@RestController
public class ErrorEndpoint implements ErrorController {
    private static final Logger log = LoggerFactory.getLogger(ErrorEndpoint.class);

    @RequestMapping("${server.error.path:/error}")
    @PublicEndpoint("renders the container's errors as the standard error body")
    public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (!(code instanceof Integer status)) {
            return ApiErrorHandler.body(
                    request,
                    404,
                    "NotFound",
                    "Route " + request.getMethod() + ":" + request.getRequestURI() + " not found",
                    null);
        }
        if (status >= 500) {
            Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
            log.error(
                    "Unhandled error outside the controllers on {} {}",
                    request.getMethod(),
                    request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
                    failure instanceof Throwable t ? t : null);
            return ApiErrorHandler.body(request, status, "InternalServerError", "Something went wrong", null);
        }
        HttpStatus known = HttpStatus.resolve(status);
        String reason = known == null ? "Error" : known.getReasonPhrase();
        return ApiErrorHandler.body(request, status, reason.replace(" ", ""), reason, null);
    }
}
