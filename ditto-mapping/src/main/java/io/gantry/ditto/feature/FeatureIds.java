package io.gantry.ditto.feature;

import io.gantry.config.ThingsConfig;
import io.gantry.core.container.ContainerId;
import io.gantry.metrics.snapshot.ContainerMeasurements;
import java.util.Optional;

/**
 * The feature ids and definitions of the twin (reference/kanto-things.md §3): the ids are those the configuration
 * accepts in {@code things.features} ({@link ThingsConfig}), the definitions are defined here once.
 */
public final class FeatureIds {

    public static final String CONTAINER_FACTORY = ThingsConfig.CONTAINER_FACTORY_FEATURE;
    public static final String SOFTWARE_UPDATABLE = ThingsConfig.SOFTWARE_UPDATABLE_FEATURE;
    public static final String METRICS = ThingsConfig.METRICS_FEATURE;
    /** Gantry's own feature, not Kanto's: a twin has it only when {@code things.features} lists it. */
    public static final String GANTRY = ThingsConfig.GANTRY_FEATURE;
    /** Also the originator of a container's metrics: both name the container's feature. */
    public static final String CONTAINER_PREFIX = ContainerMeasurements.ORIGINATOR_PREFIX;

    public static final String CONTAINER_FACTORY_DEFINITION = "com.bosch.iot.suite.edge.containers:ContainerFactory:1.3.0";
    public static final String CONTAINER_DEFINITION = "com.bosch.iot.suite.edge.containers:Container:1.5.0";
    public static final String SOFTWARE_UPDATABLE_DEFINITION = "org.eclipse.hawkbit.swupdatable:SoftwareUpdatable:2.0.0";
    public static final String METRICS_DEFINITION = "com.bosch.iot.suite.edge.metric:Metrics:1.0.0";
    public static final String GANTRY_DEFINITION = "io.gantry:Gantry:1.0.0";

    private FeatureIds() {
    }

    public static String container(ContainerId id) {
        return ContainerMeasurements.originatorOf(id);
    }

    /** The container id of a {@code Container:<id>} feature id. */
    public static Optional<ContainerId> containerId(String featureId) {
        if (!featureId.startsWith(CONTAINER_PREFIX)) {
            return Optional.empty();
        }
        String id = featureId.substring(CONTAINER_PREFIX.length());
        return id.isBlank() || id.contains("/") ? Optional.empty() : Optional.of(ContainerId.of(id));
    }

    /** The path of a feature in a Ditto message: {@code /features/<id>}. */
    public static String path(String featureId) {
        return "/features/" + featureId;
    }

    /** The path of one property: {@code /features/<id>/properties/<property>}. */
    public static String propertyPath(String featureId, String property) {
        return path(featureId) + "/properties/" + property;
    }
}
