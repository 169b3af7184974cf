package io.gantry.app.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The containers of one test class on a Docker engine, made with the {@code docker} CLI: each is named with the
 * class's unique prefix and labelled {@code io.gantry.test=<that prefix>}, and {@link #close()} removes every
 * container with the label (also those that an agent under test created with {@link #labels()}) and nothing else.
 */
public final class TestContainers implements AutoCloseable {

    public static final String LABEL = "io.gantry.test";

    private final String host;
    private final String prefix;

    private TestContainers(String host, String prefix) {
        this.host = host;
        this.prefix = prefix;
    }

    /** Containers on the default engine named {@code <what>-<random>-…}; makes sure the test image is there. */
    public static TestContainers on(String what) {
        return on(null, what);
    }

    /** Containers on the engine at {@code host} (null: the default engine). */
    public static TestContainers on(String host, String what) {
        TestImages.ensureBusybox(host);
        return new TestContainers(host, what + "-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 24, 36));
    }

    /** The unique prefix, also the label's value. */
    public String prefix() {
        return prefix;
    }

    /** A name under the prefix. */
    public String name(String suffix) {
        return prefix + "-" + suffix;
    }

    /** The label to give containers that something else creates for this test. */
    public Map<String, String> labels() {
        return Map.of(LABEL, prefix);
    }

    /** {@code docker run -d --name <prefix>-<suffix> --label … args…}; returns the full container id. */
    public String run(String suffix, String... args) {
        return make("run", "-d", suffix, args);
    }

    /** {@code docker create --name <prefix>-<suffix> --label … args…}; returns the full container id. */
    public String create(String suffix, String... args) {
        return make("create", null, suffix, args);
    }

    private String make(String command, String flag, String suffix, String... args) {
        List<String> all = new ArrayList<>(List.of(command));
        if (flag != null) {
            all.add(flag);
        }
        all.addAll(List.of("--name", name(suffix), "--label", LABEL + "=" + prefix));
        all.addAll(List.of(args));
        return docker(all.toArray(String[]::new));
    }

    /** Any docker command against this engine; its trimmed output. */
    public String docker(String... args) {
        return Processes.docker(host, args);
    }

    /** {@code docker inspect -f <format> <container>}. */
    public String inspect(String container, String format) {
        return docker("container", "inspect", "-f", format, container);
    }

    /** True while a container with this id or name exists. */
    public boolean exists(String container) {
        return Processes.attempt(Map.of(), command("container", "inspect", container)).exitCode() == 0;
    }

    /** The ids of every container of this test that exists now. */
    public List<String> ids() {
        String out = docker("ps", "-aq", "--no-trunc", "--filter", "label=" + LABEL + "=" + prefix);
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }

    private String[] command(String... args) {
        List<String> all = new ArrayList<>(List.of("docker"));
        if (host != null) {
            all.addAll(List.of("-H", host));
        }
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    /** Removes every container of this test, running or not. */
    @Override
    public void close() {
        for (String id : ids()) {
            Processes.attempt(Map.of(), command("rm", "-f", id));
        }
    }
}
