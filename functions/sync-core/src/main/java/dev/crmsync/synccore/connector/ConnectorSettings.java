package dev.crmsync.synccore.connector;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.Optional;

/**
 * What the pipeline gives a connector when it builds it, once per container.
 *
 * @param vendorUrl  {@code CRM_SYNC_VENDOR_URL} when set (local runs and tests), else empty and the
 *                   connector uses its vendor's real base URL; never taken from an event
 * @param httpClient one shared HTTP client per container
 */
public record ConnectorSettings(Optional<URI> vendorUrl, HttpClient httpClient) {
    public URI vendorUrlOr(String defaultUrl) {
        return vendorUrl.orElse(URI.create(defaultUrl));
    }
}
