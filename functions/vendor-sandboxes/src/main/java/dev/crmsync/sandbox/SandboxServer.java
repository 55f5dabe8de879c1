package dev.crmsync.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.function.Function;

/**
 * The HTTP side of a sandbox: a WireMock 3 server on 127.0.0.1 with a free port and one catch-all
 * stub whose answer {@code handler} computes per request. Do not reset the WireMock server: that
 * would remove the catch-all stub.
 */
final class SandboxServer {

    private static final String TRANSFORMER_NAME = "vendor-sandbox";

    private final WireMockServer server;

    SandboxServer(Function<Request, SandboxReply> handler) {
        this.server = new WireMockServer(wireMockConfig()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                // Plain HTTP/1.1 only: WireMock's connection faults do not work over h2c, and
                // the JDK HttpClient would otherwise upgrade.
                .http2PlainDisabled(true)
                .containerThreads(64)
                .disableRequestJournal()
                .extensions(new Transformer(handler)));
    }

    void start() {
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(TRANSFORMER_NAME)));
    }

    int port() {
        return server.port();
    }

    void stop() {
        server.stop();
    }

    private static ResponseDefinition toDefinition(SandboxReply r) {
        ResponseDefinitionBuilder b = ResponseDefinitionBuilder.responseDefinition();
        if (r.resetConnection()) {
            return b.withFault(Fault.CONNECTION_RESET_BY_PEER).build();
        }
        b.withStatus(r.status()).withBody(r.body());
        r.headers().forEach(b::withHeader);
        if (r.delayMillis() > 0) {
            b.withFixedDelay((int) Math.min(Integer.MAX_VALUE, r.delayMillis()));
        }
        return b.build();
    }

    /** The WireMock extension behind the catch-all stub: every request comes through here. */
    private static final class Transformer implements ResponseDefinitionTransformerV2 {
        private final Function<Request, SandboxReply> handler;

        Transformer(Function<Request, SandboxReply> handler) {
            this.handler = handler;
        }

        @Override
        public String getName() {
            return TRANSFORMER_NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            return toDefinition(handler.apply(event.getRequest()));
        }
    }
}
