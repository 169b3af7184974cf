package io.gantry.config;

import static io.gantry.config.ConfigLoaderTest.load;
import static io.gantry.config.ConfigLoaderTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyAndTrustConfigTest {

    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);

    @Test
    void defaults_allowEverything_andEnforceNothing() {
        PolicyConfig p = PolicyConfig.DEFAULTS;
        assertThat(p.privileged() && p.hostNetwork() && p.devices() && p.gpus()).isTrue();
        assertThat(p.runtimeAllowed("nvidia")).isTrue();
        assertThat(p.hostPathRules()).singleElement().satisfies(r -> assertThat(r.allows(Path.of("/"), false)).isTrue());
        assertThat(TrustConfig.DEFAULTS.enforce()).isFalse();
    }

    @Test
    void allowlist_acceptsKurasTextForm_commasAndLineBreaks_inAnyCase() throws ConfigException {
        AgentConfig c = load("{'trust':{'enforce':true,'allowlist':['" + A + ",\\n " + B.toUpperCase().replace("SHA256", "sha256")
                + "\\r\\n', '" + A + "']}}");
        assertThat(c.trust().enforce()).isTrue();
        assertThat(c.trust().digests()).containsExactly(A, B);
    }

    @Test
    void allowlist_notADigest_isNamedWithItsPath() {
        assertThat(problems("{'trust':{'allowlist':['" + A + "', '" + A + ",sha256:12']}}")).containsExactly(
                "trust.allowlist[1]: \"sha256:12\" is not a digest (expected sha256: and 64 hex digits; several may be"
                        + " separated by commas or line breaks)");
        assertThat(problems("{'trust':{'allowlist':'" + A + "'}}")).containsExactly(
                "trust.allowlist: expected an array of strings, got a string (\"" + A + "\")");
        assertThat(problems("{'trust':{'enforce':'yes'}}")).containsExactly(
                "trust.enforce: expected true or false, got a string (\"yes\")");
    }

    @Test
    void hostPaths_matchWholeComponents_andReadOnlyRulesAllowOnlyReadOnlyMounts() throws ConfigException {
        PolicyConfig p = load("{'policy':{'host_paths':['/srv/app', '/etc/ssl:ro']}}").policy();
        List<PolicyConfig.HostPathRule> rules = p.hostPathRules();
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).allows(Path.of("/srv/app/data"), false)).isTrue();
        assertThat(rules.get(0).allows(Path.of("/srv/apple"), false)).isFalse();
        assertThat(rules.get(0).allows(Path.of("/srv/app/../../etc"), true)).isFalse();
        assertThat(rules.get(1).allows(Path.of("/etc/ssl/certs"), true)).isTrue();
        assertThat(rules.get(1).allows(Path.of("/etc/ssl/certs"), false)).isFalse();
    }

    @Test
    void hostPathsAndRuntimes_withBadForms_areNamedWithTheirPaths() {
        assertThat(problems("{'policy':{'host_paths':['srv', '/a/../b', '/x:rx'], 'runtimes':['run c']}}"))
                .containsExactly(
                        "policy.runtimes[0]: \"run c\" is not a runtime name (expected a name such as runc or nvidia,"
                                + " or \"*\" for any)",
                        "policy.host_paths[0]: \"srv\" is not a host path rule (expected an absolute path without"
                                + " \"..\", optionally followed by :ro for read-only mounts only, e.g. /srv/app or"
                                + " /etc/ssl:ro)",
                        "policy.host_paths[1]: \"/a/../b\" is not a host path rule (expected an absolute path without"
                                + " \"..\", optionally followed by :ro for read-only mounts only, e.g. /srv/app or"
                                + " /etc/ssl:ro)",
                        "policy.host_paths[2]: \"/x:rx\" is not a host path rule (expected an absolute path without"
                                + " \"..\", optionally followed by :ro for read-only mounts only, e.g. /srv/app or"
                                + " /etc/ssl:ro)");
    }

    @Test
    void runtimes_emptyListAllowsOnlyTheEngineDefault() throws ConfigException {
        PolicyConfig p = load("{'policy':{'runtimes':[], 'privileged':false}}").policy();
        assertThat(p.runtimeAllowed("")).isTrue();
        assertThat(p.runtimeAllowed("nvidia")).isFalse();
        assertThat(p.privileged()).isFalse();
    }

    @Test
    void policyAndTrust_applyLive() {
        AgentConfig before = AgentConfig.DEFAULTS;
        AgentConfig after = new AgentConfig(before.log(), before.connection(), before.things(), before.updateAgent(),
                before.metrics(), before.engine(), before.registries(), before.deployment(),
                new PolicyConfig(false, true, true, true, List.of("*"), List.of("/")),
                new TrustConfig(true, List.of(A), TrustConfig.STOP), before.stateDir());
        ConfigChange change = ConfigChange.between(before, after);
        assertThat(change.paths()).containsExactly("policy.privileged", "trust.enforce", "trust.allowlist");
        assertThat(change.requiresRestart()).isFalse();
    }

    @Test
    void signatures_readPerPattern_andTheLongestMatchingPatternApplies() throws Exception {
        Path key = java.nio.file.Files.createTempFile("cosign", ".pub");
        java.nio.file.Files.writeString(key, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        AgentConfig c = load("{'trust':{'signatures':{'reg.example:5000/apps/*':{'key':'" + key + "'},"
                + "'reg.example:5000/**':{'certificate':'" + key + "','tlog_key':'" + key + "'}}}}");
        TrustConfig t = c.trust();
        assertThat(t.signatureRule("reg.example:5000/apps/web")).hasValueSatisfying(e -> {
            assertThat(e.getKey()).isEqualTo("reg.example:5000/apps/*");
            assertThat(e.getValue().key()).isEqualTo(key.toString());
        });
        assertThat(t.signatureRule("reg.example:5000/apps/web/sub")).hasValueSatisfying(e ->
                assertThat(e.getValue().needsTlog()).isTrue());
        assertThat(t.signatureRule("other.example/apps/web")).isEmpty();
        assertThat(t.signatureRule("reg.example:50000/apps/web")).isEmpty();
    }

    @Test
    void signatures_badEntries_areNamedWithTheirPaths() {
        assertThat(problems("{'trust':{'signatures':{'Reg/UPPER':{'key':'/nonexistent/cosign.pub'},"
                + "'reg.example/app':{}, 'reg.example/b':{'key':'/nonexistent/cosign.pub'}}}}")).containsExactly(
                "trust.signatures[\"Reg/UPPER\"]: \"Reg/UPPER\" is not a repository pattern (expected host[:port]/path,"
                        + " where * stands for any characters but / and ** for any, e.g. registry.example:5000/apps/*)",
                "trust.signatures[\"reg.example/app\"].key: exactly one of key and certificate is needed (the public"
                        + " key or the certificate authority that signatures of these images verify against)",
                "trust.signatures[\"reg.example/b\"].key: \"/nonexistent/cosign.pub\" does not exist");
        assertThat(problems("{'trust':{'signatures':{'reg.example/app':{'key':7}}}}")).containsExactly(
                "trust.signatures[\"reg.example/app\"].key: expected a string, got a number (7)");
    }
}
