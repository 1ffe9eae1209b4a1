package dev.keyhaven.server.platform.web;

import dev.keyhaven.server.platform.db.DatabaseMonitor;
import dev.keyhaven.server.platform.db.DatabaseProblem;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Renders every failure as the Infisical error body. Clients see a clear 4xx naming what was
 * wrong, a 503 with {@code Retry-After} naming the cause when the database cannot serve (down,
 * too slow, full, read-only; logged once per kind and minute, see {@link DatabaseMonitor}), or a
 * bare 500 "Something went wrong" whose details stay in the server log under the request id; never
 * a stack trace, never a secret value.
 */
@RestControllerAdvice
public class ApiErrorHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);
    private final DatabaseMonitor database;

    ApiErrorHandler(DatabaseMonitor database) {
        this.database = database;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Map<String, Object>> api(ApiException e, HttpServletRequest request) {
        ResponseEntity<Map<String, Object>> response =
                body(request, e.status(), e.error(), e.getMessage(), e.details());
        if (e.retryAfterSeconds() > 0) {
            return ResponseEntity.status(response.getStatusCode())
                    .header("Retry-After", Long.toString(e.retryAfterSeconds()))
                    .body(response.getBody());
        }
        return response;
    }

    @ExceptionHandler(ValidationException.class)
    ResponseEntity<Map<String, Object>> validation(ValidationException e, HttpServletRequest request) {
        return body(request, 422, "ValidationFailure", e.issues(), null);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof MismatchedInputException mismatch) {
            String field = path(mismatch);
            String expected = mismatch.getTargetType() == null ? "value" : typeName(mismatch.getTargetType());
            return validation(ValidationException.invalidType(field, expected, "another type"), request);
        }
        if (cause instanceof DatabindException bind && !(cause instanceof StreamReadException)) {
            return validation(
                    ValidationException.field(path(bind).isEmpty() ? "body" : path(bind), "Invalid value"), request);
        }
        if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
            return validation(ValidationException.invalidType("", "object", "undefined"), request);
        }
        return body(request, 400, "BadRequest", "Body is not valid JSON", null);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Map<String, Object>> missingParam(
            MissingServletRequestParameterException e, HttpServletRequest request) {
        return validation(ValidationException.required(e.getParameterName()), request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, Object>> typeMismatch(
            MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return validation(
                ValidationException.invalidType(
                        e.getName(), e.getRequiredType() == null ? "value" : typeName(e.getRequiredType()), "string"),
                request);
    }

    @ExceptionHandler({NoResourceFoundException.class, HttpRequestMethodNotSupportedException.class})
    ResponseEntity<Map<String, Object>> notFound(Exception e, HttpServletRequest request) {
        return body(
                request,
                404,
                "NotFound",
                "Route " + request.getMethod() + ":" + request.getRequestURI() + " not found",
                null);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, Object>> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return body(
                request,
                415,
                "UnsupportedMediaType",
                "Send the body as application/json (or application/x-www-form-urlencoded)",
                null);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Map<String, Object>> integrity(DataIntegrityViolationException e, HttpServletRequest request) {
        log.info(
                "Constraint violation on {} {}: {}",
                request.getMethod(),
                request.getRequestURI(),
                e.getMostSpecificCause().getClass().getSimpleName());
        return body(
                request,
                409,
                "Conflict",
                "The change conflicts with existing data (a duplicate name or a concurrent change)",
                null);
    }

    @ExceptionHandler(ServerFault.class)
    ResponseEntity<Map<String, Object>> fault(ServerFault e, HttpServletRequest request) {
        log.error("{} on {} {}: {}", e.error(), request.getMethod(), request.getRequestURI(), e.getMessage());
        if (e.retryAfterSeconds() > 0) {
            return ResponseEntity.status(503)
                    .header("Retry-After", Integer.toString(e.retryAfterSeconds()))
                    .body(body(request, 503, e.error(), e.publicMessage(), null).getBody());
        }
        return body(request, 500, e.error(), e.publicMessage(), null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> unexpected(Exception e, HttpServletRequest request) {
        DatabaseProblem problem = DatabaseProblem.of(e);
        if (problem != null) {
            database.failed(problem, e);
            ResponseEntity<Map<String, Object>> response = body(request, 503, problem.error(), problem.message(), null);
            return ResponseEntity.status(503)
                    .header("Retry-After", Integer.toString(problem.retryAfterSeconds()))
                    .body(response.getBody());
        }
        log.error("Unhandled error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return body(request, 500, "InternalServerError", "Something went wrong", null);
    }

    static ResponseEntity<Map<String, Object>> body(
            HttpServletRequest request, int status, String error, Object message, Object details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reqId", RequestIds.current(request));
        body.put("statusCode", status);
        body.put("message", message);
        body.put("error", error);
        if (details != null) {
            body.put("details", details);
        }
        return ResponseEntity.status(HttpStatus.valueOf(status)).body(body);
    }

    private static String path(DatabindException e) {
        List<String> parts = new ArrayList<>();
        for (var ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                parts.add(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                parts.add(Integer.toString(ref.getIndex()));
            }
        }
        return String.join(".", parts);
    }

    private static String typeName(Class<?> type) {
        if (type == String.class) {
            return "string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "number";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        return "object";
    }
}
