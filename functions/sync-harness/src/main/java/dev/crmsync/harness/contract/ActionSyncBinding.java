package dev.crmsync.harness.contract;

import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.sandbox.VendorSandbox;
import java.util.List;

/**
 * What an integration that performs one-time actions (an invoice per won deal, a message per won
 * deal) tells {@link ActionSyncContract} about itself: how to deploy it, how to make the events that
 * ask for an action, and how to count the action's effects in its vendor's sandbox.
 */
public interface ActionSyncBinding {

    /** The vendor's sandbox; the suite resets it before every test. */
    VendorSandbox<?> vendor();

    /** A fresh deployment of the integration on the local servers, wired to {@link #vendor} and ready to act. */
    IntegrationHarness deploy(int maxReceiveCount, int queueVisibilitySeconds);

    /** The action's kind ({@code invoice}, {@code message}): its action items' kind. */
    String action();

    /** A business key (a deal id) never used before. */
    String newBusinessKey();

    /**
     * The events that must be applied before the action can be performed (the deal's account), in order; often none.
     */
    List<String> prerequisites(String businessKey);

    /** An event asking for the action of {@code businessKey}, with event id {@code eventId}. */
    String actionEvent(String businessKey, String eventId);

    /** The vendor call that performs the action (creates the invoice, posts the message): where faults are injected. */
    VendorCall effectCall();

    /** How many of the action's effects the vendor holds for {@code businessKey}: one, whatever happened. */
    int effectsOf(String businessKey);

    /** Makes the vendor refuse the next {@code times} effect calls for good. */
    void refuseNextEffects(int times);

    /** The vendor's key, secret, rate-limit answer and what the connector calls the refusal above. */
    VendorProfile profile();
}
