package io.gantry.core.container;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A container as the engine reports it.
 *
 * <p>{@code managed} is true when Gantry created it (label {@code io.gantry.managed=true}); only managed containers
 * are changed by desired states, descriptor files and policies. {@code gantryLabels} holds Gantry's own labels
 * ({@code io.gantry.*}), which never appear in {@code spec().labels()}.
 */
public record Container(ContainerId id, ContainerName name, ImageRef image, String imageId, ContainerSpec spec,
                        ContainerState state, Instant createdAt, boolean managed, Map<String, String> gantryLabels) {

    public static final String MANAGED_LABEL = "io.gantry.managed";
    /**
     * Which front door created a managed container when no other label says it: {@code twin} (a twin command),
     * {@code cli} ({@code gantry create}). Desired states and descriptor files have labels of their own.
     */
    public static final String ORIGIN_LABEL = "io.gantry.origin";
    /**
     * On every container a desired state or descriptor file creates: the component (container name) it is for, which
     * it keeps while a replacement runs under a temporary name.
     */
    public static final String COMPONENT_LABEL = "io.gantry.update.component";

    public Container {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        gantryLabels = Collections.unmodifiableMap(new TreeMap<>(gantryLabels));
    }

    public Optional<String> gantryLabel(String key) {
        return Optional.ofNullable(gantryLabels.get(key));
    }

    public ContainerStatus status() {
        return state.status();
    }

    public Container withState(ContainerState newState) {
        return new Container(id, name, image, imageId, spec, newState, createdAt, managed, gantryLabels);
    }

    public Container withName(ContainerName newName) {
        return new Container(id, newName, image, imageId, spec.withName(newName), state, createdAt, managed,
                gantryLabels);
    }

    public Container withSpec(ContainerSpec newSpec) {
        return new Container(id, name, image, imageId, newSpec, state, createdAt, managed, gantryLabels);
    }
}
