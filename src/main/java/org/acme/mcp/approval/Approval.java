package org.acme.mcp.approval;

import io.vertx.core.json.JsonObject;

/**
 * One call waiting for, or given, a person's decision: who made it (issuer, subject, OAuth client), which tool with
 * which arguments (their digest, and the redacted preview the page shows), until when it may be decided, and how it was.
 */
public record Approval(String id, String issuer, String subject, String client, String tool, String digest,
        String arguments, long createdAtMillis, long expiresAtMillis, Status status, long decidedAtMillis) {

    public enum Status {
        PENDING,
        APPROVED,
        DENIED
    }

    boolean expired() {
        return System.currentTimeMillis() >= expiresAtMillis;
    }

    /** Whether {@code issuer}/{@code subject} is the user who made the call: the only one who may decide it. */
    boolean madeBy(String issuer, String subject) {
        return this.issuer.equals(issuer) && this.subject.equals(subject);
    }

    Approval decided(Status decision, long atMillis) {
        return new Approval(id, issuer, subject, client, tool, digest, arguments, createdAtMillis, expiresAtMillis,
                decision, atMillis);
    }

    String encode() {
        return new JsonObject().put("id", id).put("iss", issuer).put("sub", subject).put("azp", client).put("tool", tool)
                .put("d", digest).put("args", arguments).put("created", createdAtMillis).put("exp", expiresAtMillis)
                .put("status", status.name()).put("decided", decidedAtMillis).encode();
    }

    static Approval decode(String json) {
        JsonObject o = new JsonObject(json);
        return new Approval(o.getString("id"), o.getString("iss"), o.getString("sub"), o.getString("azp"),
                o.getString("tool"), o.getString("d"), o.getString("args"), o.getLong("created"), o.getLong("exp"),
                Status.valueOf(o.getString("status")), o.getLong("decided"));
    }
}
