package org.acme.mcp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The hand-written manifests under {@code deploy/} keep their hardening: parsed as YAML (plain JUnit, no Quarkus),
 * every workload and compose service is checked for the settings deploy/README.md promises.
 */
class DeployManifestsTest {

    static final Path DEPLOY = Path.of("deploy");
    static final String SERVER = "mcp-server";
    static final String REDIS = "mcp-redis";
    /** The only capabilities a container may add: setpriv needs them to drop each sandboxed run to its own uid. */
    static final Set<String> SANDBOX_CAPS = Set.of("SETUID", "SETGID");

    @Test
    void everyYamlFileUnderDeployParses() {
        List<Path> files = yamlFiles();
        assertTrue(files.size() >= 10, "expected the kubernetes and compose manifests, found " + files);
        files.forEach(DeployManifestsTest::documents);
    }

    @Test
    void everyContainerIsHardened() {
        List<Map<String, Object>> workloads = new ArrayList<>(kubernetes("Deployment"));
        workloads.addAll(kubernetes("StatefulSet"));
        assertTrue(workloads.stream().anyMatch(d -> SERVER.equals(name(d))), "no mcp-server Deployment");
        assertTrue(workloads.stream().anyMatch(d -> REDIS.equals(name(d))), "no mcp-redis StatefulSet");
        for (Map<String, Object> deployment : workloads) {
            Map<String, Object> pod = map(map(map(deployment, "spec"), "template"), "spec");
            Map<String, Object> podSc = mapOrEmpty(pod, "securityContext");
            assertEquals(false, pod.get("automountServiceAccountToken"), name(deployment) + ": service account token mounted");
            String sa = (String) pod.get("serviceAccountName");
            assertTrue(sa != null && !sa.equals("default"), name(deployment) + ": needs a dedicated ServiceAccount");
            assertTrue(kubernetes("ServiceAccount").stream().anyMatch(s -> sa.equals(name(s))),
                    "ServiceAccount " + sa + " missing");
            assertFalse(Boolean.TRUE.equals(pod.get("hostNetwork")) || Boolean.TRUE.equals(pod.get("hostPID"))
                    || Boolean.TRUE.equals(pod.get("hostIPC")), name(deployment) + ": host namespaces");
            for (Map<String, Object> c : list(pod, "containers")) {
                String where = name(deployment) + "/" + c.get("name");
                Map<String, Object> sc = map(c, "securityContext");
                assertNotEquals(Boolean.TRUE, sc.get("privileged"), where + ": privileged");
                assertEquals(false, sc.get("allowPrivilegeEscalation"), where + ": allowPrivilegeEscalation");
                assertEquals(true, sc.get("readOnlyRootFilesystem"), where + ": readOnlyRootFilesystem");
                Map<String, Object> caps = map(sc, "capabilities");
                assertEquals(List.of("ALL"), caps.get("drop"), where + ": capabilities must drop ALL");
                List<?> added = caps.get("add") == null ? List.of() : (List<?>) caps.get("add");
                assertTrue(SANDBOX_CAPS.containsAll(added), where + ": adds capabilities " + added);

                // Non-root, or root only inside the pod's own user namespace with nothing but SETUID/SETGID, which
                // the sandbox's per-run uid needs (deploy/README.md)
                Object uid = sc.getOrDefault("runAsUser", podSc.get("runAsUser"));
                boolean nonRoot = Boolean.TRUE.equals(sc.getOrDefault("runAsNonRoot", podSc.get("runAsNonRoot")))
                        && uid instanceof Integer u && u > 0;
                boolean rootInUserNamespace = Integer.valueOf(0).equals(uid) && Boolean.FALSE.equals(pod.get("hostUsers"));
                assertTrue(nonRoot || rootInUserNamespace, where + ": runs as root on the node");
                if (!nonRoot) {
                    assertEquals(SERVER, name(deployment), where + ": only the sandbox host may run as (namespaced) root");
                }
                if ("Unmasked".equals(sc.get("procMount"))) {
                    assertEquals(false, pod.get("hostUsers"), where + ": Unmasked /proc only inside a user namespace");
                }

                Map<String, Object> seccomp = mapOrEmpty(sc, "seccompProfile").isEmpty()
                        ? mapOrEmpty(podSc, "seccompProfile")
                        : mapOrEmpty(sc, "seccompProfile");
                assertTrue(Set.of("RuntimeDefault", "Localhost").contains(seccomp.get("type")), where + ": no seccomp profile");
                if ("Localhost".equals(seccomp.get("type"))) {
                    String file = Path.of((String) seccomp.get("localhostProfile")).getFileName().toString();
                    assertTrue(Files.isRegularFile(DEPLOY.resolve("sandbox").resolve(file)),
                            where + ": Localhost seccomp profile " + file + " not shipped in deploy/sandbox");
                }

                Map<String, Object> limits = map(map(c, "resources"), "limits");
                assertNotNull(limits.get("cpu"), where + ": cpu limit");
                assertNotNull(limits.get("memory"), where + ": memory limit");
                assertNotNull(map(map(c, "resources"), "requests").get("memory"), where + ": memory request");
                assertNotNull(c.get("livenessProbe"), where + ": livenessProbe");
                assertNotNull(c.get("readinessProbe"), where + ": readinessProbe");
                assertImagePinned(where, (String) c.get("image"));
            }
        }
    }

    @Test
    void serverProbesUseTheHealthEndpointsAndWritablePathsAreVolumes() {
        Map<String, Object> c = serverContainer();
        assertEquals("/q/health/live", probePath(c, "livenessProbe"));
        assertEquals("/q/health/ready", probePath(c, "readinessProbe"));
        assertEquals("/q/health/live", probePath(c, "startupProbe"));
        List<Object> mounts = list(c, "volumeMounts").stream().map(m -> m.get("mountPath")).toList();
        assertTrue(mounts.containsAll(List.of("/tmp", "/work/audit")), "emptyDir for /tmp and the audit dir: " + mounts);
        Map<String, Object> config = kubernetes("ConfigMap").stream().filter(m -> "mcp-server-config".equals(name(m)))
                .findFirst().orElseThrow();
        assertEquals("/work/audit", map(config, "data").get("MCP_AUDIT_DIR"));
    }

    @Test
    void secretsOnlyByReference() {
        Map<String, Object> c = serverContainer();
        for (String secret : List.of("MCP_AUDIT_HMAC_KEY", "MCP_REQUEST_STATE_KEY")) {
            Map<String, Object> key = list(c, "env").stream().filter(e -> secret.equals(e.get("name")))
                    .findFirst().orElseThrow(() -> new AssertionError(secret + " not set"));
            assertEquals(null, key.get("value"), secret + " must come from a Secret");
            assertNotNull(map(map(key, "valueFrom"), "secretKeyRef").get("name"));
        }
        Map<String, Object> redisPassword = list(c, "env").stream()
                .filter(e -> "MCP_FLEET_REDIS_PASSWORD".equals(e.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("MCP_FLEET_REDIS_PASSWORD not set"));
        assertEquals("mcp-redis", map(map(redisPassword, "valueFrom"), "secretKeyRef").get("name"));
        for (Map<String, Object> doc : kubernetes(null)) {
            if ("ConfigMap".equals(doc.get("kind"))) {
                mapOrEmpty(doc, "data").keySet().forEach(k -> assertFalse(k.matches("(?i).*(secret|password|hmac|token).*"),
                        name(doc) + " holds a secret-looking key " + k));
            }
            if ("Secret".equals(doc.get("kind"))) {
                mapOrEmpty(doc, "stringData").values().forEach(v -> assertEquals("", v, "example Secret holds a value"));
                assertTrue(mapOrEmpty(doc, "data").isEmpty(), "example Secret holds data");
            }
        }
        // The example Secret is never applied by kustomize
        List<?> resources = (List<?>) documents(DEPLOY.resolve("kubernetes/kustomization.yaml")).get(0).get("resources");
        assertFalse(resources.stream().anyMatch(r -> r.toString().contains("secret")), "kustomization applies a Secret");
        for (Map<String, Object> service : composeServices().values()) {
            mapOrEmpty(service, "environment").forEach((k, v) -> {
                if (k.matches("(?i).*(secret|password|hmac|token|key).*")) {
                    assertTrue(String.valueOf(v).matches("\\$\\{[A-Z_]+(:\\?[^}]*)?}"), k + " is a literal, not ${...}: " + v);
                }
            });
        }
    }

    @Test
    void networkPoliciesDenyByDefaultAndOpenOnlyPort8080AndRedisToTheServers() {
        List<Map<String, Object>> policies = kubernetes("NetworkPolicy");
        assertTrue(policies.stream().anyMatch(p -> mapOrEmpty(map(p, "spec"), "podSelector").isEmpty()
                && list(map(p, "spec"), "policyTypes").size() == 2), "no namespace-wide default deny");
        for (Map<String, Object> policy : policies) {
            Map<String, Object> spec = map(policy, "spec");
            assertEquals(List.of("Ingress", "Egress"), spec.get("policyTypes"), name(policy) + ": policyTypes");
            int port = REDIS.equals(name(policy)) ? 6379 : 8080;
            for (Map<String, Object> rule : listOrEmpty(spec, "ingress")) {
                List<Map<String, Object>> ports = list(rule, "ports");
                assertFalse(ports.isEmpty(), name(policy) + ": ingress rule without ports");
                ports.forEach(p -> assertEquals(port, p.get("port"), name(policy) + ": ingress port " + p));
            }
            for (Map<String, Object> rule : listOrEmpty(spec, "egress")) {
                assertFalse(listOrEmpty(rule, "ports").isEmpty(), name(policy) + ": egress to any port");
                assertFalse(listOrEmpty(rule, "to").isEmpty(), name(policy) + ": egress to anywhere");
            }
        }
        Map<String, Object> server = policies.stream().filter(p -> SERVER.equals(name(p))).findFirst().orElseThrow();
        List<Object> egressPorts = listOrEmpty(map(server, "spec"), "egress").stream()
                .flatMap(r -> list(r, "ports").stream()).map(p -> p.get("port")).toList();
        assertTrue(egressPorts.containsAll(List.of(53, 6379, 4317)), "server egress: DNS, Redis and OTLP, got "
                + egressPorts);
        assertEquals(5, egressPorts.size(), "server egress: DNS (udp+tcp), the IdP, Redis and OTLP only, got "
                + egressPorts);
        // Redis: only the server replicas get in, and it goes nowhere
        Map<String, Object> redis = policies.stream().filter(p -> REDIS.equals(name(p))).findFirst().orElseThrow();
        List<Object> from = listOrEmpty(map(redis, "spec"), "ingress").stream().flatMap(r -> list(r, "from").stream())
                .map(f -> map(map(f, "podSelector"), "matchLabels").get("app.kubernetes.io/name")).toList();
        assertEquals(List.of(SERVER), from, "who may reach Redis");
        assertEquals(List.of(), listOrEmpty(map(redis, "spec"), "egress"), "Redis egress");
    }

    @Test
    void scalingKeepsSessionsOnTheirReplica() {
        Map<String, Object> router = kubernetes("ConfigMap").stream().filter(m -> "mcp-router-config".equals(name(m)))
                .findFirst().orElseThrow();
        String envoy = (String) map(router, "data").get("envoy.yaml");
        Map<String, Object> parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(envoy);
        assertNotNull(parsed.get("static_resources"));
        assertTrue(envoy.contains("envoy.http.stateful_session.envelope") && envoy.contains("name: mcp-session-id"),
                "router must pin sessions by the Mcp-Session-Id envelope");
        assertTrue(envoy.contains("mcp-server-pods"), "router must see individual replicas (headless Service)");
        assertTrue(kubernetes("Service").stream().anyMatch(s -> "mcp-server-pods".equals(name(s))
                && "None".equals(map(s, "spec").get("clusterIP"))), "headless Service missing");
        assertEquals(1, kubernetes("HorizontalPodAutoscaler").size());
        assertTrue(kubernetes("PodDisruptionBudget").stream().anyMatch(p -> SERVER.equals(name(p))));
    }

    @Test
    void composeBindsPortsToLoopbackAndPinsImages() {
        Map<String, Map<String, Object>> services = composeServices();
        assertTrue(services.keySet().containsAll(Set.of("mcp-server", "keycloak", "redis", "otel-collector", "jaeger")),
                services.keySet().toString());
        services.forEach((name, service) -> {
            listOrEmptyRaw(service, "ports").forEach(p -> assertTrue(String.valueOf(p).startsWith("127.0.0.1:"),
                    name + ": port not bound to loopback: " + p));
            assertImagePinned(name, (String) service.get("image"));
        });
        assertTrue(String.valueOf(services.get("keycloak").get("image")).endsWith(":26.5.6"));
        Map<String, Object> server = services.get("mcp-server");
        assertEquals(List.of("ALL"), server.get("cap_drop"));
        assertTrue(SANDBOX_CAPS.containsAll((List<?>) server.get("cap_add")));
        assertEquals(true, server.get("read_only"));
        List<?> opts = (List<?>) server.get("security_opt");
        assertTrue(opts.contains("no-new-privileges:true"), "no-new-privileges");
        assertTrue(opts.stream().anyMatch(o -> o.toString().startsWith("seccomp=") && !o.toString().endsWith("unconfined")),
                "a seccomp profile, not unconfined");
        assertNotNull(server.get("pids_limit"), "pids_limit");
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    static void assertImagePinned(String where, String image) {
        assertNotNull(image, where + ": no image");
        int slash = image.lastIndexOf('/');
        String tag = image.substring(slash + 1).contains(":") ? image.substring(image.lastIndexOf(':') + 1) : null;
        assertTrue(image.contains("@sha256:") || (tag != null && !tag.equals("latest")), where + ": unpinned image " + image);
    }

    static void assertNotEquals(Object unexpected, Object actual, String message) {
        if (Objects.equals(unexpected, actual)) {
            fail(message);
        }
    }

    static Map<String, Object> serverContainer() {
        Map<String, Object> deployment = kubernetes("Deployment").stream().filter(d -> SERVER.equals(name(d))).findFirst()
                .orElseThrow();
        return list(map(map(map(deployment, "spec"), "template"), "spec"), "containers").stream()
                .filter(c -> SERVER.equals(c.get("name"))).findFirst().orElseThrow();
    }

    static String probePath(Map<String, Object> container, String probe) {
        return (String) map(map(container, probe), "httpGet").get("path");
    }

    static List<Path> yamlFiles() {
        try (Stream<Path> s = Files.walk(DEPLOY)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of every YAML file under deploy/kubernetes, optionally of one kind. */
    static List<Map<String, Object>> kubernetes(String kind) {
        List<Map<String, Object>> all = new ArrayList<>();
        yamlFiles().stream().filter(p -> p.startsWith(DEPLOY.resolve("kubernetes")))
                .forEach(p -> all.addAll(documents(p)));
        return all.stream().filter(d -> kind == null || kind.equals(d.get("kind"))).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> composeServices() {
        return (Map<String, Map<String, Object>>) (Object) map(documents(DEPLOY.resolve("compose/compose.yaml")).get(0),
                "services");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(Path file) {
        try {
            List<Map<String, Object>> docs = new ArrayList<>();
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
                if (doc != null) {
                    docs.add((Map<String, Object>) doc);
                }
            }
            assertFalse(docs.isEmpty(), file + " is empty");
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String name(Map<String, Object> doc) {
        return (String) mapOrEmpty(doc, "metadata").get("name");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertNotNull(value, "missing " + key + " in " + parent.keySet());
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> mapOrEmpty(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertNotNull(value, "missing " + key + " in " + parent.keySet());
        return (List<Map<String, Object>>) value;
    }

    static List<Map<String, Object>> listOrEmpty(Map<String, Object> parent, String key) {
        return parent.get(key) == null ? List.of() : list(parent, key);
    }

    static List<?> listOrEmptyRaw(Map<String, Object> parent, String key) {
        return parent.get(key) == null ? List.of() : (List<?>) parent.get(key);
    }
}
