package org.acme.mcp.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Every call of the tool needs a person's approval first, given outside the client: the call is answered
 * {@code input_required} with a link (URL-mode elicitation) to this server's approval page, where the user signs in at
 * the identity provider, sees what will run and approves or denies; only the client's retry after an approval runs
 * the tool, once. The approver must be the user whose token made the call. MCP 2026-07-28 only: a 2025-11-25 caller is
 * told to use that revision. Operators can require it of any tool ({@code mcp.rbac.tools."<tool>".approval=true}).
 * In addition to the tool's policy annotation, never instead of it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface RequiresApproval {
}
