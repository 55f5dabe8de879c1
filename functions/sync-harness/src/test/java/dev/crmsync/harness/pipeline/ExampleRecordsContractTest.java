package dev.crmsync.harness.pipeline;

import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.harness.contract.AccountRecordsBinding;
import dev.crmsync.harness.contract.RecordSyncBinding;
import dev.crmsync.harness.contract.RecordSyncContract;
import dev.crmsync.harness.contract.VendorCall;
import dev.crmsync.harness.contract.VendorProfile;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.example.ExampleSandbox;
import java.util.List;
import java.util.Optional;

/**
 * The example connector binds the record contract, as every integration does: an account is a record at the example
 * vendor.
 */
class ExampleRecordsContractTest extends RecordSyncContract {
    private static final String RECORD_WRITE = "/records/[^/]+";

    @Override
    protected RecordSyncBinding binding() {
        return new ExampleRecords(ExampleSandbox.shared());
    }

    private record ExampleRecords(ExampleSandbox vendor) implements AccountRecordsBinding {
        @Override
        public IntegrationHarness deploy(int maxReceiveCount, int queueVisibilitySeconds) {
            return new ExampleHarness(vendor, maxReceiveCount, queueVisibilitySeconds);
        }

        @Override
        public VendorCall stateWrite() {
            return new VendorCall("PUT", RECORD_WRITE);
        }

        @Override
        public List<String> labelsWritten() {
            return vendor.calls("PUT", RECORD_WRITE).stream()
                    .filter(RecordedCall::changedState)
                    .map(call -> call.body().path("name").asText())
                    .toList();
        }

        @Override
        public Optional<String> labelHeld(IntegrationHarness harness, String recordId) {
            return vendor.record(recordId).map(record -> record.path("name").asText());
        }

        @Override
        public int objectsHeld() {
            return vendor.records().size();
        }

        @Override
        public void refuseNextWrites(int times) {
            ExampleHarness.refuseNextPuts(vendor, RECORD_WRITE, times);
        }

        @Override
        public VendorProfile profile() {
            return ExampleHarness.PROFILE;
        }
    }
}
