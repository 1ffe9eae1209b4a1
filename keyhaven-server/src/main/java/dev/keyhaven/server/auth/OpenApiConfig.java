package dev.keyhaven.server.auth;

import dev.keyhaven.server.actor.Actor;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /api/docs/openapi.json} (browsable at {@code /api/docs}): every
 * endpoint with the bearer scheme; the authenticated actor is resolved from the token, so it is
 * not a parameter.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {
    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Actor.class);
    }

    @Bean
    OpenAPI keyhavenOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Keyhaven API")
                        .version("v1")
                        .description("Infisical-compatible secrets API. Authenticate with "
                                + "'Authorization: Bearer <access token>' from a machine identity login."))
                .components(new Components()
                        .addSecuritySchemes(
                                "bearer",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
