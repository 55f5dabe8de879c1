package dev.crmsync.synccore.connector;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Optional;

/**
 * What the pipeline gives a connector when it builds it, once per container.
 *
 * @param vendorUrl  {@code CRM_SYNC_VENDOR_URL} when set (local runs and tests), else empty and the
 *                   connector uses its vendor's real base URL; never taken from an event
 * @param httpClient one shared HTTP client per container
 * @param options    the integration's per-deployment options: {@code CRM_SYNC_OPTION_<NAME>} variables by NAME
 */
public record ConnectorSettings(Optional<URI> vendorUrl, HttpClient httpClient, Map<String, String> options) {
    public ConnectorSettings(Optional<URI> vendorUrl, HttpClient httpClient) {
        this(vendorUrl, httpClient, Map.of());
    }

    /** A per-deployment option ({@code CRM_SYNC_OPTION_<NAME>}, set by the stack), e.g. a chat channel. */
    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** The base URL to resolve relative API paths against, always ending in a slash. */
    public URI vendorUrlOr(String defaultUrl) {
        String url = vendorUrl.map(URI::toString).orElse(defaultUrl);
        return URI.create(url.endsWith("/") ? url : url + "/");
    }
}
