package io.gantry.app.testing;

import io.gantry.core.signature.CosignSigning;
import io.gantry.core.signature.CosignVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import land.oras.ContainerRef;
import land.oras.Manifest;
import land.oras.Registry;
import land.oras.auth.UsernamePasswordProvider;

/**
 * A {@link LocalRegistry} with htpasswd that tests and benchmarks push images to with {@code docker push} (through a
 * Docker client configuration of its own, so no password is on a command line) and sign in cosign's layout: the
 * {@code sha256-<hex>.sig} manifest with a simple-signing layer and its annotations, pushed through the registry API.
 */
public final class CosignRegistry implements AutoCloseable {

    private final LocalRegistry registry;
    private final boolean tls;
    private final Path dockerConfig;
    private final String user;
    private final String password;
    private final String prefix;

    private CosignRegistry(LocalRegistry registry, boolean tls, Path dockerConfig, String user, String password,
                           String prefix) {
        this.registry = registry;
        this.tls = tls;
        this.dockerConfig = dockerConfig;
        this.user = user;
        this.password = password;
        this.prefix = prefix;
    }

    /** Starts a registry in {@code dir} whose repositories are named {@code <address>/<prefix>/<name>}. */
    public static CosignRegistry start(Path dir, String user, String password, String prefix) throws IOException {
        return start(dir, user, password, prefix, Optional.empty());
    }

    /** As {@link #start(Path, String, String, String)}, the registry speaking only HTTPS with {@code tls}. */
    public static CosignRegistry start(Path dir, String user, String password, String prefix,
                                       Optional<LoopbackTls> tls) throws IOException {
        LocalRegistry registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")),
                Optional.of(user), Optional.of(password), tls);
        Path dockerConfig = Files.createDirectories(dir.resolve("docker-config"));
        // docker login's file, written directly: no password on a command line.
        Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\": {\"" + registry.address()
                + "\": {\"auth\": \"" + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)) + "\"}}}");
        return new CosignRegistry(registry, tls.isPresent(), dockerConfig, user, password, prefix);
    }

    public String address() {
        return registry.address();
    }

    /** {@code <address>/<prefix>/<name>}. */
    public String repository(String name) {
        return registry.address() + "/" + prefix + "/" + name;
    }

    /** {@code docker …} with this registry's login. */
    public String docker(String... args) {
        return Processes.run(Map.of("DOCKER_CONFIG", dockerConfig.toString()), Stream.concat(Stream.of("docker"),
                Stream.of(args)).toArray(String[]::new));
    }

    /** Pushes local {@code image} as tag 1 of repository {@code name} with {@code docker push}; the pushed digest. */
    public String push(String name, String image) {
        String ref = repository(name) + ":1";
        docker("tag", image, ref);
        docker("push", "-q", ref);
        String repoDigest = docker("image", "inspect", "-f", "{{range .RepoDigests}}{{println .}}{{end}}", ref)
                .lines().filter(l -> l.startsWith(repository(name) + "@")).findFirst().orElseThrow();
        docker("rmi", ref);
        return repoDigest.substring(repoDigest.indexOf('@') + 1).strip();
    }

    /** Signs {@code digest} of repository {@code name} with {@code key}, as {@code cosign sign --key} does. */
    public void sign(String name, String digest, KeyPair key) {
        byte[] payload = CosignSigning.payload(repository(name), digest);
        layer(name, digest, payload, Map.of(CosignVerifier.SIGNATURE, CosignSigning.sign(key.getPrivate(), payload)));
    }

    /** Pushes cosign's signature manifest of {@code digest}: one simple-signing layer and its annotations. */
    public void layer(String name, String digest, byte[] payload, Map<String, String> annotations) {
        // The SDK's builder takes no CA file (the agent's client, under test, is given one), so the test's own
        // pushes skip verifying the certificate, as dockerd does on loopback.
        Registry oras = Registry.builder().withInsecure(!tls).withSkipTlsVerify(tls)
                .withAuthProvider(new UsernamePasswordProvider(user, password)).build();
        ContainerRef ref = ContainerRef.parse(repository(name) + ":" + CosignVerifier.signatureTag(digest));
        byte[] config = ("{\"architecture\":\"\",\"os\":\"\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + sha256(payload) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        oras.pushBlob(ref, config);
        oras.pushBlob(ref, payload);
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"size\":" + config.length + ",\"digest\":\""
                + sha256(config) + "\"},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":" + payload.length + ",\"digest\":\""
                + sha256(payload) + "\",\"annotations\":{");
        String separator = "";
        for (Map.Entry<String, String> a : new LinkedHashMap<>(annotations).entrySet()) {
            json.append(separator).append(quote(a.getKey())).append(':').append(quote(a.getValue()));
            separator = ",";
        }
        json.append("}}]}");
        oras.pushManifest(ref, Manifest.fromJson(json.toString()));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static String sha256(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the registry (the images pushed stay in its directory). */
    @Override
    public void close() {
        registry.close();
    }
}
