package io.gantry.update.protocol;

import java.util.Optional;

/**
 * The keys of a container component's config and of a container node's inventory parameters
 * (reference/kanto-cua.md §2.3, §4.3), plus Gantry's {@code cpus}, {@code gpus} and {@code managed}. Keys are
 * case-sensitive; the repeatable ones may appear several times and keep their order.
 */
public enum ConfigKey {
    IMAGE("image", true, false),
    DOMAIN_NAME("domainName", false, false),
    HOST_NAME("hostName", false, false),
    TERMINAL("terminal", true, false),
    INTERACTIVE("interactive", true, false),
    PRIVILEGED("privileged", true, false),
    RESTART_POLICY("restartPolicy", true, false),
    RESTART_MAX_RETRIES("restartMaxRetries", true, false),
    RESTART_TIMEOUT("restartTimeout", true, false),
    DEVICE("device", true, true),
    PORT("port", true, true),
    NETWORK("network", true, false),
    HOST("host", true, true),
    LOG_DRIVER("logDriver", true, false),
    LOG_MAX_FILES("logMaxFiles", true, false),
    LOG_MAX_SIZE("logMaxSize", true, false),
    LOG_PATH("logPath", true, false),
    LOG_MODE("logMode", true, false),
    LOG_MAX_BUFFER_SIZE("logMaxBufferSize", true, false),
    MEMORY("memory", true, false),
    MEMORY_RESERVATION("memoryReservation", true, false),
    MEMORY_SWAP("memorySwap", true, false),
    CPUS("cpus", true, false),
    GPUS("gpus", true, false),
    MOUNT("mount", true, true),
    ENV("env", true, true),
    CMD("cmd", true, true),
    STATUS("status", false, false),
    FINISHED_AT("finishedAt", false, false),
    EXIT_CODE("exitCode", false, false),
    CREATED("created", false, false),
    RESTART_COUNT("restartCount", false, false),
    MANUALLY_STOPPED("manuallyStopped", false, false),
    STARTED_SUCCESSFULLY_BEFORE("startedSuccessfullyBefore", false, false),
    MANAGED("managed", false, false);

    private final String wireName;
    private final boolean settable;
    private final boolean repeatable;

    ConfigKey(String wireName, boolean settable, boolean repeatable) {
        this.wireName = wireName;
        this.settable = settable;
        this.repeatable = repeatable;
    }

    public String wireName() {
        return wireName;
    }

    /** True for keys a desired state may set; the others only appear in the inventory. */
    public boolean settable() {
        return settable;
    }

    public boolean repeatable() {
        return repeatable;
    }

    /** Exact, case-sensitive lookup, as Kanto's. */
    public static Optional<ConfigKey> forName(String name) {
        for (ConfigKey key : values()) {
            if (key.wireName.equals(name)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }
}
