package io.gantry.core.container;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The container engine (Docker Engine API): the only way Gantry reads or changes containers.
 *
 * <p>Threading: every method blocks until the engine has answered and may be called from any thread except an
 * {@link EngineListener} callback. Implementations are thread-safe.
 *
 * <p>Idempotency: {@code start} of a running container, {@code stop} of a stopped one, {@code pause} of a paused
 * one and {@code resume} of a running one succeed without effect, so a retried command is harmless. Callers that
 * must report such cases (Kanto's "already running") check the state first.
 *
 * <p>Failures are {@link EngineException}s: {@link ContainerNotFoundException} for an unknown id,
 * {@link ContainerConflictException} for a name in use or a state that forbids the operation,
 * {@link ImagePullException}, {@link EngineUnavailableException} when the engine does not answer, and
 * {@link EngineFailureException} for anything else.
 */
public interface ContainerEngine {

    /** Who the engine is; also the cheapest check that it answers. */
    EngineInfo info();

    /** All containers, running or not, managed or not. */
    List<Container> list();

    Optional<Container> inspect(ContainerId id);

    /** Finds a container by name, full id or unique id prefix, as {@code docker inspect} does. */
    Optional<Container> find(String nameOrId);

    /**
     * Creates a container from a validated spec. The engine labels it {@code io.gantry.managed=true} and records
     * the spec, plus {@code gantryLabels} (keys must start with {@code io.gantry.}). The image must be present.
     * With {@link ContainerSpec#PINNED_IMAGE_LABEL}, the container is created from that reference (the digest the
     * admission verified), while the recorded spec, and so what the container reports, keeps the spec's image.
     */
    ContainerId create(ContainerSpec spec, Map<String, String> gantryLabels);

    void start(ContainerId id);

    void stop(ContainerId id, StopOptions options);

    void pause(ContainerId id);

    void resume(ContainerId id);

    void rename(ContainerId id, ContainerName newName);

    void update(ContainerId id, ContainerUpdate update);

    void remove(ContainerId id, boolean force);

    /** Copies the container's output to {@code sink}; with {@code follow} this returns only when the container stops. */
    void logs(ContainerId id, LogOptions options, LogSink sink);

    ContainerStats stats(ContainerId id);

    /** Registers a listener for container events until the subscription is closed. */
    Subscription subscribe(EngineListener listener);

    boolean imagePresent(ImageRef image);

    /** The id and repository digests of the local image {@code image} names; empty when it is not present. */
    Optional<io.gantry.core.image.ImageFacts> imageFacts(ImageRef image);

    /**
     * Checks that the operator's {@code policy} and {@code trust} sections allow a container from {@code spec}; every
     * path that creates a container calls it before it pulls or creates anything (docs/trust.md). The plain engine
     * allows everything; the agent's and the CLI's engine is an {@link io.gantry.core.policy.AdmittingEngine}.
     *
     * @throws io.gantry.core.policy.ContainerRefusedException naming the rule that refuses it
     */
    default void admit(ContainerSpec spec) {
    }

    /**
     * Pulls an image with the configured registry credentials, retrying transient failures with back-off and giving
     * up when no progress is seen for the configured stall timeout.
     */
    void pull(ImageRef image, Consumer<PullEvent> progress);

    /** Pulls the image unless it is present. */
    default void ensureImage(ImageRef image, Consumer<PullEvent> progress) {
        if (!imagePresent(image)) {
            pull(image, progress);
        }
    }
}
