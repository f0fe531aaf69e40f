package org.acme.mcp.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

import org.acme.mcp.api.Caller;
import org.junit.jupiter.api.Test;

/** The authorization rules, one by one, and that operator overrides can only tighten a policy. */
class ToolAuthorizerTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    final ToolAuthorizer authorizer = new ToolAuthorizer(Clock.fixed(NOW, ZoneOffset.UTC));

    static ToolPolicy policy(Set<String> scopes, Set<String> roles, Optional<Duration> maxAge, Set<String> acr) {
        return new ToolPolicy("t", scopes, roles, maxAge, acr, false, false);
    }

    static Caller caller(Set<String> scopes, Set<String> roles, Long authTime, String acr) {
        return new Caller("https://issuer.test", "user", scopes, roles, Optional.ofNullable(authTime),
                Optional.ofNullable(acr), Optional.empty());
    }

    @Test
    void rolesAreAnyOfAndHideTheTool() {
        ToolPolicy p = policy(Set.of(), Set.of("a", "b"), Optional.empty(), Set.of());
        assertInstanceOf(Decision.Allowed.class, authorizer.decide(p, caller(Set.of(), Set.of("b"), null, null)));
        assertInstanceOf(Decision.Hidden.class, authorizer.decide(p, caller(Set.of("x"), Set.of("c"), null, null)));
    }

    @Test
    void scopesAreAllOfAndChallengeable() {
        ToolPolicy p = policy(Set.of("s1", "s2"), Set.of(), Optional.empty(), Set.of());
        assertInstanceOf(Decision.Allowed.class, authorizer.decide(p, caller(Set.of("s1", "s2", "s3"), Set.of(), null, null)));
        Decision d = authorizer.decide(p, caller(Set.of("s1"), Set.of(), null, null));
        assertEquals(Set.of("s1", "s2"), ((Decision.MissingScopes) d).required());
    }

    @Test
    void aMissingRoleWinsOverAMissingScope() {
        ToolPolicy p = policy(Set.of("s"), Set.of("admin"), Optional.empty(), Set.of());
        assertInstanceOf(Decision.Hidden.class, authorizer.decide(p, caller(Set.of(), Set.of("user"), null, null)));
    }

    @Test
    void stepUpOnStaleMissingAuthTimeOrWrongAcr() {
        ToolPolicy p = policy(Set.of(), Set.of(), Optional.of(Duration.ofMinutes(5)), Set.of("gold"));
        long now = NOW.getEpochSecond();
        assertInstanceOf(Decision.Allowed.class, authorizer.decide(p, caller(Set.of(), Set.of(), now - 299, "gold")));
        assertInstanceOf(Decision.StepUpRequired.class, authorizer.decide(p, caller(Set.of(), Set.of(), now - 301, "gold")));
        assertInstanceOf(Decision.StepUpRequired.class, authorizer.decide(p, caller(Set.of(), Set.of(), null, "gold")));
        assertInstanceOf(Decision.StepUpRequired.class, authorizer.decide(p, caller(Set.of(), Set.of(), now, "silver")));
        assertInstanceOf(Decision.StepUpRequired.class, authorizer.decide(p, caller(Set.of(), Set.of(), now, null)));
    }

    @Test
    void noPolicyOrNoCallerMeansHidden() {
        assertInstanceOf(Decision.Hidden.class, authorizer.decide(null, caller(Set.of(), Set.of(), null, null)));
        assertInstanceOf(Decision.Hidden.class,
                authorizer.decide(policy(Set.of(), Set.of(), Optional.empty(), Set.of()), null));
    }

    record Override(boolean disabled, Optional<Set<String>> scopes, Optional<Set<String>> roles,
            Optional<Duration> maxAuthAge, Optional<Set<String>> acr, boolean approval)
            implements
                RbacConfig.ToolOverride {

        Override(boolean disabled, Optional<Set<String>> scopes, Optional<Set<String>> roles,
                Optional<Duration> maxAuthAge, Optional<Set<String>> acr) {
            this(disabled, scopes, roles, maxAuthAge, acr, false);
        }
    }

    @Test
    void overridesOnlyTighten() {
        ToolPolicy p = new ToolPolicy("t", Set.of("read"), Set.of("op", "admin"), Optional.of(Duration.ofMinutes(5)),
                Set.of(), false, false);
        ToolPolicy t = p.tightenedBy(new Override(false, Optional.of(Set.of("write")), Optional.of(Set.of("admin", "guest")),
                Optional.of(Duration.ofHours(1)), Optional.empty()));
        assertEquals(Set.of("read", "write"), t.scopes(), "scopes are added, never removed");
        assertEquals(Set.of("admin"), t.roles(), "roles are narrowed; a role the code does not accept is not added");
        assertEquals(Duration.ofMinutes(5), t.maxAuthAge().get(), "a longer auth age does not loosen");
        ToolPolicy none = p.tightenedBy(new Override(false, Optional.empty(), Optional.of(Set.of("guest")),
                Optional.empty(), Optional.empty()));
        assertTrue(none.disabled(), "no common role: nobody may call it, never 'no role check'");
        assertTrue(p.tightenedBy(new Override(true, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()))
                .disabled());
        ToolPolicy approved = p.tightenedBy(new Override(false, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), true));
        assertTrue(approved.approval(), "an override can require approval");
        assertTrue(approved.tightenedBy(new Override(false, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false)).approval(), "and nothing can take that back");
    }
}
