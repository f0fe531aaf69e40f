package org.acme.mcp.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.acme.mcp.security.BearerTokenPrecheck.Verdict;
import org.junit.jupiter.api.Test;

/** The structural pre-checks, and the shortcut for tokens the verified-token cache already holds. */
class BearerTokenPrecheckTest {

    final BearerTokenPrecheck precheck = new BearerTokenPrecheck(8192, Set.of("RS256"));

    static String header(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void compactJwsShape() {
        assertTrue(BearerTokenPrecheck.isCompactJws("a.b.c"));
        assertTrue(BearerTokenPrecheck.isCompactJws("aZ0-_.b.c-_"));
        for (String bad : List.of("", "a.b", "a.b.c.d", ".b.c", "a..c", "a.b.", "a.b.c=", "a.b.c ", "a+b.c.d", "a.b/c.d")) {
            assertFalse(BearerTokenPrecheck.isCompactJws(bad), bad);
        }
    }

    @Test
    void algorithmsOutsideTheAllowlistAreRefusedEvenAfterManyHeaders() {
        String rs256 = header("{\"alg\":\"RS256\"}") + ".e30.c2ln";
        assertEquals(Verdict.CANDIDATE, precheck.check(List.of("Bearer " + rs256)).verdict());
        // many distinct headers (the remembered ones are bounded) never turn a refused algorithm into an accepted one
        for (int i = 0; i < 1000; i++) {
            String token = header("{\"alg\":\"RS256\",\"kid\":\"k" + i + "\"}") + ".e30.c2ln";
            assertEquals(Verdict.CANDIDATE, precheck.check(List.of("Bearer " + token)).verdict());
        }
        String hs256 = header("{\"alg\":\"HS256\"}") + ".e30.c2ln";
        assertEquals(Verdict.INVALID_TOKEN, precheck.check(List.of("Bearer " + hs256)).verdict());
        assertEquals(Verdict.INVALID_TOKEN, precheck.check(List.of("Bearer " + hs256)).verdict(), "second time too");
        String none = header("{\"alg\":\"none\"}") + ".e30.c2ln";
        assertEquals(Verdict.INVALID_TOKEN, precheck.check(List.of("Bearer " + none)).verdict());
    }

    @Test
    void aTokenVerifiedBeforeSkipsTheStructuralChecksButNotTheHeaderRules() {
        assertEquals(Verdict.CANDIDATE, precheck.check(List.of("Bearer cached"), t -> t.equals("cached")).verdict());
        assertEquals(Verdict.INVALID_REQUEST,
                precheck.check(List.of("Bearer cached", "Bearer cached"), t -> true).verdict());
        assertEquals(Verdict.INVALID_TOKEN, precheck.check(List.of("Bearer " + "x".repeat(9000)), t -> true).verdict());
        assertEquals(Verdict.INVALID_TOKEN, precheck.check(List.of("Bearer cached"), t -> false).verdict());
    }

    @Test
    void onlyAsymmetricAlgorithmsCanBeAllowed() {
        for (String weak : List.of("none", "HS256", "HS512", "RSA-OAEP", "rs256")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new BearerTokenPrecheck(8192, Set.of("RS256", weak)), weak);
            assertTrue(e.getMessage().contains("refused: [" + weak + "]"), e.getMessage());
        }
        new BearerTokenPrecheck(8192, BearerTokenPrecheck.ASYMMETRIC_ALGORITHMS);
    }
}
