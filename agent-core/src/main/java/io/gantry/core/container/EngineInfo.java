package io.gantry.core.container;

/** What the engine says about itself. {@code cgroupVersion} is "1" or "2". */
public record EngineInfo(String version, String apiVersion, String operatingSystem, String architecture,
                         String cgroupVersion, String cgroupDriver, int cpus, long memoryBytes, String storageDriver) {
}
