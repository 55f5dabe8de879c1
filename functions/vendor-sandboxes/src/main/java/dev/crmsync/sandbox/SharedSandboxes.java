package dev.crmsync.sandbox;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One sandbox of each type per JVM ({@link VendorSandbox#shared}), started on first use and stopped
 * at exit: starting one per test class costs seconds.
 */
final class SharedSandboxes {

    private static final Map<Class<?>, VendorSandbox<?>> SHARED = new HashMap<>(); // guarded by the class

    private SharedSandboxes() {}

    static synchronized <T extends VendorSandbox<T>> T get(Class<T> type, Supplier<T> start) {
        VendorSandbox<?> existing = SHARED.get(type);
        if (existing != null) {
            return type.cast(existing);
        }
        T sandbox = start.get();
        SHARED.put(type, sandbox);
        VendorSandbox<?> started = sandbox;
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, started.vendor() + "-sandbox-stop"));
        return sandbox;
    }
}
