package dev.crmsync.synccore.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaseDistinctIdTest {
    @Test
    void anIdWithoutUpperCaseLettersIsWrittenAsItIs() {
        assertThat(CaseDistinctId.encode("001xx000003dgba")).isEqualTo("001xx000003dgba");
        assertThat(CaseDistinctId.encode("acc-1.eu:7_x")).isEqualTo("acc-1.eu:7_x");
    }

    @Test
    void upperCaseLettersAreNamedByTheirPositionsAfterTheMarker() {
        assertThat(CaseDistinctId.encode("001xx000003DGbA")).isEqualTo("001xx000003DGbA~12.13.15");
        assertThat(CaseDistinctId.encode("001xx000003DGba")).isEqualTo("001xx000003DGba~12.13");
        assertThat(CaseDistinctId.encode("A")).isEqualTo("A~1");
    }

    @Test
    void theMarkerInAnIdIsDoubledSoNoIdCanImitateASuffix() {
        assertThat(CaseDistinctId.encode("a~1")).isEqualTo("a~~1");
        assertThat(CaseDistinctId.encode("A~1")).isEqualTo("A~~1~1");
        assertThat(CaseDistinctId.encode("a~1")).isNotEqualToIgnoringCase(CaseDistinctId.encode("A"));
    }

    @Test
    void idsThatDifferOnlyInCaseStayDistinctToAVendorThatIgnoresCase() {
        // every id of up to four characters over letters of both cases, a digit, the marker and a dot
        List<String> ids = new ArrayList<>(List.of(""));
        List<String> all = new ArrayList<>();
        for (int length = 1; length <= 4; length++) {
            List<String> longer = new ArrayList<>();
            for (String id : ids) {
                for (char c : "aAbB1~.".toCharArray()) {
                    longer.add(id + c);
                }
            }
            all.addAll(longer);
            ids = longer;
        }
        Map<String, String> byCaseBlindForm = new HashMap<>();
        for (String id : all) {
            String previous = byCaseBlindForm.put(CaseDistinctId.encode(id).toLowerCase(Locale.ROOT), id);
            assertThat(previous).as("%s and %s", previous, id).isNull();
        }
        assertThat(byCaseBlindForm).hasSize(all.size());
    }

    @Test
    void decodingGivesTheIdBackWhateverCaseTheVendorShowsItIn() {
        for (String id : List.of("001xx000003DGbA", "001xx000003DGba", "001xx000003dgba", "A~1", "a~~b", "~", "Z")) {
            String encoded = CaseDistinctId.encode(id);
            assertThat(CaseDistinctId.decode(encoded)).isEqualTo(id);
            assertThat(CaseDistinctId.decode(encoded.toUpperCase(Locale.ROOT))).isEqualTo(id);
            assertThat(CaseDistinctId.decode(encoded.toLowerCase(Locale.ROOT))).isEqualTo(id);
        }
    }

    @Test
    void aSuffixEncodeCannotHaveWrittenIsRefused() {
        for (String wrong : List.of("abc~x", "abc~4", "abc~2.1", "a1~2", "abc~")) {
            assertThatThrownBy(() -> CaseDistinctId.decode(wrong))
                    .as(wrong)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
