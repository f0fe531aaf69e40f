package org.acme.mcp.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

import org.acme.mcp.pipeline.ToolCallPipeline;

/**
 * Roles of which the caller must hold at least one (Keycloak realm/client roles, Entra ID app roles). A caller without
 * them neither sees the tool nor learns that it exists: calling it is answered like calling an unknown tool. On a
 * class: every tool of the class.
 */
@ToolCallPipeline
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface RequiresRoles {

    @Nonbinding
    String[] value();
}
