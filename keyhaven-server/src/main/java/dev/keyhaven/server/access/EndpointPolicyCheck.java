package dev.keyhaven.server.access;

import dev.keyhaven.server.platform.web.PublicEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Refuses to start a server with an API endpoint that declares neither a permission ({@link
 * ProjectPermission}, {@link OrgPermission}, {@link MembershipOnly}), a {@link PublicEndpoint} nor
 * an {@link OwnAccount}, or that declares a subject and action outside the vocabulary or more than
 * one permission: deny by default starts at the route table.
 */
@Component
@ConditionalOnWebApplication
public class EndpointPolicyCheck implements SmartInitializingSingleton {
    private final RequestMappingHandlerMapping mapping;

    public EndpointPolicyCheck(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mapping) {
        this.mapping = mapping;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<String> undeclared = undeclared(mapping.getHandlerMethods());
        if (!undeclared.isEmpty()) {
            throw new IllegalStateException("API endpoints without a declared permission: " + undeclared);
        }
        List<String> unknown = outsideVocabulary(mapping.getHandlerMethods());
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("API endpoints declaring a permission outside the vocabulary: " + unknown);
        }
    }

    /** Every {@code /api} handler that declares no policy. */
    public static List<String> undeclared(Map<RequestMappingInfo, HandlerMethod> handlers) {
        List<String> out = new ArrayList<>();
        handlers.forEach((info, method) -> {
            boolean api = info.getPatternValues().stream().anyMatch(p -> p.startsWith("/api/"));
            boolean declared = DeclaredPermission.of(method.getMethod()).isPresent()
                    || method.hasMethodAnnotation(PublicEndpoint.class)
                    || method.hasMethodAnnotation(OwnAccount.class);
            if (api && !declared && method.getBeanType().getPackageName().startsWith("dev.keyhaven")) {
                out.add(info + " -> " + method.getShortLogMessage());
            }
        });
        return out;
    }

    /** Every handler whose declaration names a pair its scope's vocabulary lacks, or several permissions. */
    public static List<String> outsideVocabulary(Map<RequestMappingInfo, HandlerMethod> handlers) {
        List<String> out = new ArrayList<>();
        handlers.forEach((info, method) -> {
            List<DeclaredPermission> declared = DeclaredPermission.allOf(method.getMethod());
            if ((declared.size() > 1 && !DeclaredPermission.eitherScope(declared))
                    || declared.stream().anyMatch(d -> !d.inVocabulary())) {
                out.add(info + " -> " + declared);
            }
        });
        return out;
    }
}
